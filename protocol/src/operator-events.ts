import type { Category, TemplateKey } from './categories.ts';
import type { Ack, ConversationStatus, MessageDto, Priority } from './messages.ts';

/** Sent in the Socket.IO handshake (`auth`) of the `/operator` namespace. */
export interface OperatorAuth {
  token: string;
}

export interface OperatorProfile {
  id: string;
  email: string;
  name: string;
  role: 'operator' | 'admin';
}

export interface QueueItem {
  conversationId: string;
  siteKey: string;
  siteName: string;
  visitorId: string;
  /** From the site's `setVisitor`, when it told. */
  visitorName: string | null;
  visitorEmail: string | null;
  status: ConversationStatus;
  priority: Priority;
  escalationReason: string | null;
  escalatedAt: string | null;
  category: Category | null;
  confidence: number | null;
  lastMessage: string | null;
  ownerId: string | null;
  ownerName: string | null;
  incidentId: string | null;
}

export interface ConversationDetail extends QueueItem {
  messages: MessageDto[];
}

export interface IncidentDto {
  id: string;
  siteKey: string;
  kind: 'MASS_OUTAGE';
  status: 'OPEN' | 'RESOLVED';
  createdAt: string;
  linkedConversations: number;
}

export interface TemplateDto {
  id: string;
  category: TemplateKey;
  locale: string;
  variants: string[];
}

/** A REST API key of the site as admins see it: never the key, which only `apikeys:create` returns, once. */
export interface ApiKeyDto {
  id: string;
  name: string;
  /** The key's first characters (`sk_` + 8), to tell keys apart. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A knowledge-base article as the console edits it. */
export interface KnowledgeArticleDto {
  id: string;
  /** Unique within the site; imported articles keep their file name here. */
  slug: string;
  title: string;
  /** Markdown. */
  body: string;
  url: string | null;
  locale: string | null;
  enabled: boolean;
  updatedAt: string;
}

/** What `knowledge:save` takes: no id creates an article. */
export interface KnowledgeArticleInput {
  id?: string;
  slug?: string;
  title: string;
  body: string;
  url?: string | null;
  locale?: string | null;
  enabled?: boolean;
}

export interface OperatorClientToServerEvents {
  'queue:list': (ack: (res: Ack<{ items: QueueItem[]; incidents: IncidentDto[] }>) => void) => void;
  'conversation:open': (payload: { conversationId: string }, ack: (res: Ack<ConversationDetail>) => void) => void;
  'conversation:claim': (payload: { conversationId: string }, ack: (res: Ack<QueueItem>) => void) => void;
  'conversation:reply': (
    payload: { conversationId: string; text: string; clientMessageId: string },
    ack: (res: Ack<MessageDto>) => void,
  ) => void;
  'conversation:typing': (payload: { conversationId: string; typing: boolean }) => void;
  'conversation:resolve': (payload: { conversationId: string }, ack: (res: Ack<QueueItem>) => void) => void;
  'conversation:handback': (payload: { conversationId: string }, ack: (res: Ack<QueueItem>) => void) => void;
  'incident:resolve': (payload: { incidentId: string; message: string }, ack: (res: Ack<IncidentDto>) => void) => void;
  'templates:list': (ack: (res: Ack<{ templates: TemplateDto[] }>) => void) => void;
  'templates:save': (
    payload: { category: TemplateKey; locale: string; variants: string[] },
    ack: (res: Ack<TemplateDto>) => void,
  ) => void;
  /** The site's knowledge base (admins may change it; operators read it). */
  'knowledge:list': (ack: (res: Ack<{ articles: KnowledgeArticleDto[] }>) => void) => void;
  'knowledge:save': (payload: KnowledgeArticleInput, ack: (res: Ack<KnowledgeArticleDto>) => void) => void;
  'knowledge:delete': (payload: { id: string }, ack: (res: Ack<{ id: string }>) => void) => void;
  /** Marks a bot answer from the knowledge base wrong (or not): stored and counted. */
  'message:mark-wrong': (payload: { conversationId: string; messageId: string; wrong: boolean }, ack: (res: Ack<MessageDto>) => void) => void;
  /** Admins only: the site's REST API keys. */
  'apikeys:list': (ack: (res: Ack<{ keys: ApiKeyDto[] }>) => void) => void;
  'apikeys:create': (payload: { name: string }, ack: (res: Ack<{ key: string; record: ApiKeyDto }>) => void) => void;
  'apikeys:revoke': (payload: { id: string }, ack: (res: Ack<ApiKeyDto>) => void) => void;
}

export interface OperatorServerToClientEvents {
  /** A conversation entered, changed in, or left the queue. */
  'queue:upsert': (item: QueueItem) => void;
  'queue:remove': (payload: { conversationId: string }) => void;
  'conversation:message': (message: MessageDto) => void;
  'conversation:typing': (payload: { conversationId: string; author: 'visitor'; typing: boolean }) => void;
  'incident:opened': (incident: IncidentDto) => void;
  'incident:resolved': (incident: IncidentDto) => void;
  'operators:online': (payload: { count: number }) => void;
}
