/** The typed Socket.IO server: event maps come from the shared protocol module. */
import type {
  OperatorClientToServerEvents,
  OperatorProfile,
  OperatorServerToClientEvents,
  VisitorClientToServerEvents,
  VisitorServerToClientEvents,
} from '@support-chat/protocol';
import type { Namespace, Server, Socket } from 'socket.io';
import type { SiteRecord } from '../services/ports.ts';

export interface VisitorSocketData {
  site: SiteRecord;
  /** The widget's anonymous id, or `user:<userId>` for an identity the site signed. */
  visitorId: string;
  /** Whether the handshake carried an identity the site signed. */
  verified: boolean;
  /** The client's address (X-Forwarded-For only behind a trusted proxy), for logs. */
  ip: string;
  locale: string | null;
  conversationId: string | null;
}

export interface OperatorSocketData {
  operator: OperatorProfile;
  /** The session token of the handshake, checked again while the socket lives (revocation). */
  token: string;
}

export type IoServer = Server;
export type VisitorNamespace = Namespace<VisitorClientToServerEvents, VisitorServerToClientEvents, Record<string, never>, VisitorSocketData>;
export type VisitorSocket = Socket<VisitorClientToServerEvents, VisitorServerToClientEvents, Record<string, never>, VisitorSocketData>;
export type OperatorNamespace = Namespace<OperatorClientToServerEvents, OperatorServerToClientEvents, Record<string, never>, OperatorSocketData>;
export type OperatorSocket = Socket<OperatorClientToServerEvents, OperatorServerToClientEvents, Record<string, never>, OperatorSocketData>;

export const rooms = {
  /** Every tab of one visitor on one site. */
  visitor: (siteId: string, visitorId: string) => `v:${siteId}:${visitorId}`,
  /** Visitor sockets of a conversation. */
  conversation: (conversationId: string) => `c:${conversationId}`,
  /** Operator sockets watching a conversation. */
  watching: (conversationId: string) => `w:${conversationId}`,
  /** Every operator (queue, incidents, presence). */
  operators: 'operators',
  /** Visitor sockets of one site (incident banners). */
  site: (siteId: string) => `s:${siteId}`,
};
