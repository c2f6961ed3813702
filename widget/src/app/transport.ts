import { Fetch, io, WebSocket as WebSocketTransport, type Socket } from 'socket.io-client';
import type {
  Ack,
  MessageDto,
  SendMessagePayload,
  SentMessage,
  VisitorAuth,
  VisitorClientToServerEvents,
  VisitorHandshakeRefusal,
  VisitorProfile,
  VisitorServerToClientEvents,
} from '@support-chat/protocol';

export type VisitorSocket = Socket<VisitorServerToClientEvents, VisitorClientToServerEvents>;

/** What the chat needs from the network; the socket.io adapter below and test fakes implement it. */
export interface VisitorConnection {
  on<E extends keyof VisitorServerToClientEvents>(event: E, listener: VisitorServerToClientEvents[E]): void;
  /** Called with true on every (re)connect, false on every disconnect. */
  onConnectionChange(listener: (connected: boolean) => void): void;
  /** Called once if the server will not take this page's chat (unknown or disabled site, origin not allowed); nothing is retried. */
  onRefused(listener: () => void): void;
  /** Rejects when no ack came within `timeoutMs` (packets wait for a connection meanwhile). */
  send(payload: SendMessagePayload, timeoutMs: number): Promise<Ack<SentMessage>>;
  historySince(afterSeq: number, timeoutMs: number): Promise<Ack<{ messages: MessageDto[] }>>;
  rate(rating: number, timeoutMs: number): Promise<Ack<{ rating: number }>>;
  profile(profile: VisitorProfile, timeoutMs: number): Promise<Ack<VisitorProfile>>;
  typing(typing: boolean): void;
  open(): void;
}

export interface TransportOptions {
  origin: string;
  /** Read at every handshake, so a reconnect resumes from the current lastSeq. */
  auth: () => VisitorAuth;
}

/** Refusals only the site's owner can lift: the chat is not available on this page. */
const NOT_HERE = ['unknown_site', 'site_disabled', 'origin_not_allowed', 'origin_required'];

export function connectVisitor({ origin, auth }: TransportOptions): VisitorConnection & { reconnect(): void } {
  let refused = () => {};
  const socket: VisitorSocket = io(`${origin}/visitor`, {
    auth: (cb) => cb(auth()),
    // WebSocket first, then long-polling over fetch(). Classes rather than names, so the
    // bundle carries only these two (see vite.config.ts).
    transports: [WebSocketTransport, Fetch],
    // Without this a blocked WebSocket (corporate proxies) never falls back to long-polling.
    tryAllTransports: true,
    autoConnect: false,
  });
  socket.on('connect_error', (error) => {
    // A refused handshake (a bad identity signature, an origin the site does not list) is not
    // retried (socket.active turns false): the site's developer needs to see why. A network
    // failure has no refusal code, and socket.io keeps reconnecting.
    if (socket.active) return;
    const page = location.origin;
    if (NOT_HERE.includes((error as { data?: VisitorHandshakeRefusal }).data?.code!)) {
      console.warn(`SupportChat: the chat is not available on ${page} (${error.message}). To show it here, add ${page} to the allowed origins of the site "${auth().siteKey}" on ${origin}, and check that the script tag's data-site names that site.`);
      refused();
    } else console.error(`SupportChat: the chat server refused the connection: ${error.message}`);
  });
  return {
    on: (event, listener) => void socket.on(event, listener as never),
    onConnectionChange(listener) {
      socket.on('connect', () => listener(true));
      socket.on('disconnect', () => listener(false));
    },
    onRefused: (listener) => void (refused = listener),
    send: (payload, ms) => socket.timeout(ms).emitWithAck('message:send', payload),
    historySince: (afterSeq, ms) => socket.timeout(ms).emitWithAck('history:since', { afterSeq }),
    rate: (rating, ms) => socket.timeout(ms).emitWithAck('rating:submit', { rating }),
    profile: (profile, ms) => socket.timeout(ms).emitWithAck('visitor:profile', profile),
    typing: (typing) => void (socket.connected && socket.emit('typing', { typing })),
    open: () => void socket.connect(),
    /** A new handshake (new identity) if the socket was opened already; otherwise the first one carries it. */
    reconnect() {
      if (!socket.active && !socket.connected) return;
      socket.disconnect();
      socket.connect();
    },
  };
}
