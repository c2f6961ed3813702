import type { Ack, ConversationStatus, MessageDto, Priority } from './messages.ts';
import type { PublicWidgetSettings } from './widget-settings.ts';

/** Sent in the Socket.IO handshake (`auth`) of the `/visitor` namespace. */
export interface VisitorAuth {
  siteKey: string;
  /** Kept in the widget's storage; a new visitor picks a random uuid. */
  visitorId: string;
  /** The conversation the widget last showed, and the highest seq it showed of it: the server
   * sends everything after that seq — or the whole current conversation if it is another one. */
  conversationId?: string | null;
  lastSeq?: number;
  /** The page's language, the fallback when a message's script does not tell. */
  locale?: string;
  /** What the page told the widget about its visitor, re-sent on every connect. */
  profile?: VisitorProfile;
  /** `SupportChat('identify', …)`: the site's logged-in user, signed by the site's backend. */
  identity?: VisitorIdentity;
}

/**
 * `data` of the `connect_error` a refused `/visitor` handshake brings (its `message` is
 * `<code>: <reason>` for people). A network failure carries none, so a client tells the two apart.
 * `unknown_site`, `origin_not_allowed` and `origin_required` mean the chat will not open on this
 * page until the site's owner changes something: the widget says so and stops trying.
 */
export interface VisitorHandshakeRefusal {
  code: string;
}

/**
 * A user the site vouches for: `signature` is hex(HMAC-SHA256(site identity secret, userId)),
 * or an HS256 JWT signed with that secret (`sub` = userId, expiring within an hour). A verified
 * user's conversation follows them to every browser and device.
 */
export interface VisitorIdentity {
  userId: string;
  signature: string;
  name?: string;
  email?: string;
}

/** `SupportChat('setVisitor', {name, email})`: shown to operators, `{{visitor_name}}` in templates. */
export interface VisitorProfile {
  name?: string;
  email?: string;
}

export interface IncidentBanner {
  id: string;
  kind: 'MASS_OUTAGE';
  status: 'OPEN' | 'RESOLVED';
  text: string;
}

export interface VisitorSession {
  conversationId: string | null;
  status: ConversationStatus;
  operatorsOnline: number;
  incident: IncidentBanner | null;
  /** Where the conversation waits for an operator; null when it is not waiting. */
  queue: QueuePlace | null;
}

/**
 * A waiting conversation's place in its site's queue (1 = next) and how long the site's visitors
 * usually wait for an operator's first answer (the median of recent ones, whole minutes; null
 * when the site has too few to tell).
 */
export interface QueuePlace {
  position: number;
  estimateMinutes: number | null;
}

export interface SendMessagePayload {
  clientMessageId: string;
  text: string;
}

export interface SentMessage {
  id: string;
  seq: number;
  conversationId: string;
  createdAt: string;
  /** True when this was a retry of a message already stored. */
  duplicate: boolean;
}

export interface VisitorClientToServerEvents {
  'message:send': (payload: SendMessagePayload, ack: (res: Ack<SentMessage>) => void) => void;
  'history:since': (payload: { afterSeq: number }, ack: (res: Ack<{ messages: MessageDto[] }>) => void) => void;
  typing: (payload: { typing: boolean }) => void;
  'rating:submit': (payload: { rating: number }, ack: (res: Ack<{ rating: number }>) => void) => void;
  /** The page changed what it knows about the visitor while connected. */
  'visitor:profile': (profile: VisitorProfile, ack: (res: Ack<VisitorProfile>) => void) => void;
}

export interface VisitorServerToClientEvents {
  session: (session: VisitorSession) => void;
  /** Messages after the handshake's lastSeq, in order (sent once on every connect). */
  history: (payload: { messages: MessageDto[] }) => void;
  'message:new': (message: MessageDto) => void;
  typing: (payload: { author: 'bot' | 'operator'; typing: boolean }) => void;
  'conversation:status': (payload: { status: ConversationStatus; priority: Priority }) => void;
  /** The waiting queue moved (or the conversation left it: null). */
  'queue:place': (place: QueuePlace | null) => void;
  incident: (incident: IncidentBanner | null) => void;
  'operators:online': (payload: { count: number }) => void;
  'rating:request': (payload: { conversationId: string }) => void;
  /** An admin changed the site's widget settings: the same shape as `GET /api/widget/settings`. */
  'site:settings': (settings: PublicWidgetSettings) => void;
}
