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
  /** The sites it is a member of: their operator rooms are joined, presence is counted per site. */
  sites: { id: string; key: string }[];
}

/** Between the server processes of a deployment (through the Redis adapter). */
export interface OperatorServerSideEvents {
  /** This operator's role or memberships changed: its consoles on every process re-sync their rooms. */
  'operator:access': (operatorId: string) => void;
}

export type IoServer = Server;
export type VisitorNamespace = Namespace<VisitorClientToServerEvents, VisitorServerToClientEvents, Record<string, never>, VisitorSocketData>;
export type VisitorSocket = Socket<VisitorClientToServerEvents, VisitorServerToClientEvents, Record<string, never>, VisitorSocketData>;
export type OperatorNamespace = Namespace<OperatorClientToServerEvents, OperatorServerToClientEvents, OperatorServerSideEvents, OperatorSocketData>;
export type OperatorSocket = Socket<OperatorClientToServerEvents, OperatorServerToClientEvents, OperatorServerSideEvents, OperatorSocketData>;

export const rooms = {
  /** Every tab of one visitor on one site. */
  visitor: (siteId: string, visitorId: string) => `v:${siteId}:${visitorId}`,
  /** Visitor sockets of a conversation. */
  conversation: (conversationId: string) => `c:${conversationId}`,
  /** Operator sockets watching a conversation. */
  watching: (conversationId: string) => `w:${conversationId}`,
  /** The operators of one site (its queue, incidents, presence)… */
  siteOperators: (siteId: string) => `o:${siteId}`,
  /** … and the owners, who hear every site's. */
  owners: 'owners',
  /** Every console of one operator (to re-sync its rooms when its memberships change). */
  operator: (operatorId: string) => `op:${operatorId}`,
  /** Visitor sockets of one site (incident banners). */
  site: (siteId: string) => `s:${siteId}`,
};
