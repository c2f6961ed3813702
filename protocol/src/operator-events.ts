import type { Category, TemplateKey } from './categories.ts';
import type { Ack, ConversationStatus, MessageDto, Priority } from './messages.ts';
import type { AnalyticsDto, AnalyticsQuery, AuditEntryDto, ErasureDto, TranscriptFile, TranscriptFormat } from './insights.ts';
import type { WidgetSettings } from './widget-settings.ts';

/** Sent in the Socket.IO handshake (`auth`) of the `/operator` namespace. */
export interface OperatorAuth {
  token: string;
}

/**
 * Deployment-wide role. An `owner` manages every site (creates them, edits anything) and works in
 * every site's queue; an `operator` works only in the sites it is a member of.
 */
export type OperatorRole = 'owner' | 'operator';

/**
 * A member's role in one site: its `admin` edits the site (widget settings, allowed origins,
 * templates, knowledge base, API keys, members); an `operator` answers its conversations.
 */
export type SiteRole = 'admin' | 'operator';

/** One site an operator belongs to. */
export interface SiteMembershipDto {
  siteKey: string;
  siteName: string;
  role: SiteRole;
}

/** `away`: the console stays open but auto-assignment skips the operator (and the console stays quiet). */
export type Availability = 'online' | 'away';

export interface OperatorProfile {
  id: string;
  email: string;
  name: string;
  /** What visitors see (unset: "Operator", never `name` or `email`); set with `operator:profile:update`. */
  displayName: string | null;
  /** An http(s) image visitors see beside the display name. */
  avatarUrl: string | null;
  role: OperatorRole;
  availability: Availability;
  /** Auto-assignment gives the operator at most this many conversations at once. */
  maxConversations: number;
  /** The sites this operator is a member of (an owner acts in every site with or without one). */
  sites: SiteMembershipDto[];
}

/**
 * Names the site an event acts on. Without it: the operator's only (or first) site; for an owner
 * who is a member of none, the deployment's demo site (else the oldest site).
 */
export interface SiteScope {
  siteKey?: string;
}

/** A site as the console manages it. */
export interface SiteDto {
  /** Generated at creation, never changed: the widget's `data-site` and the REST `X-Site-Key`. */
  key: string;
  name: string;
  /** Page origins allowed to open the widget and read its settings; empty = any origin. */
  allowedOrigins: string[];
  /** Default language of the bot and of the widget's texts (`ru` / `en`). */
  locale: string;
  /** A disabled site's widget is refused (`site_disabled`), its settings answer 404, its REST calls 403. */
  enabled: boolean;
  settings: WidgetSettings;
  createdAt: string;
  /** What the caller may do here: `owner` (deployment-wide), or its role in this site. */
  myRole: OperatorRole | SiteRole;
  /** The tag to paste into the site's pages, before `</body>`. */
  snippet: string;
}

/** A site's Telegram bot as its admins see it: never the token. */
export interface TelegramSettingsDto {
  /** A token is stored. */
  configured: boolean;
  enabled: boolean;
  /** `webhook` with a public https URL, `polling` otherwise. */
  mode: 'webhook' | 'polling';
  /** The token comes from the server's TELEGRAM_BOT_TOKEN (the demo site): the console cannot change it. */
  fromEnvironment: boolean;
}

/** `telegram:update`: `botToken` null removes the token; absent fields stay. */
export interface TelegramUpdateInput extends SiteScope {
  botToken?: string | null;
  enabled?: boolean;
}

/** `sites:create`: the key is generated. */
export interface SiteCreateInput {
  name: string;
  allowedOrigins: string[];
  locale: string;
}

/**
 * `sites:update`: only the fields sent change. `settings` is merged field by field (a sent
 * `greeting` replaces the whole greeting). A site admin may change `settings` and
 * `allowedOrigins`; `name`, `locale` and `enabled` are the owner's.
 */
export interface SiteUpdateInput {
  siteKey: string;
  name?: string;
  allowedOrigins?: string[];
  locale?: string;
  enabled?: boolean;
  settings?: Partial<WidgetSettings>;
}

/** An operator in one site's team. */
export interface SiteMemberDto {
  operatorId: string;
  email: string;
  name: string;
  role: SiteRole;
}

/**
 * `members:add`: an existing account (by email) joins the site or changes its role there; an
 * unknown email needs `name` and `password` (≥ 8 characters) and becomes a new operator account.
 * An existing account's name and password are never changed here.
 */
export interface MemberAddInput extends SiteScope {
  email: string;
  role: SiteRole;
  name?: string;
  password?: string;
}

type AckFn<T> = (res: Ack<T>) => void;
/** A read of one site: `emit(event, ack)` for the default site, `emit(event, { siteKey }, ack)` for another. */
type ScopedRead<T> = (...args: [ack: AckFn<T>] | [scope: SiteScope, ack: AckFn<T>]) => void;

export interface QueueItem {
  conversationId: string;
  /** When the conversation started: the inbox lists are ordered by it (newest first). */
  createdAt: string;
  channel: Channel;
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
  /**
   * What the conversation is about: the intent it was escalated on, or (while the bot has it) its
   * latest message as read in context. The queue row and the detail view show this same value.
   */
  category: Category | null;
  /** The classifier's confidence in `category`; null when context or a rule decided it. */
  confidence: number | null;
  lastMessage: string | null;
  ownerId: string | null;
  ownerName: string | null;
  incidentId: string | null;
}

export interface ConversationDetail extends QueueItem {
  /** The newest messages (at most `INBOX_LIMITS.openMessages`), oldest first. */
  messages: MessageDto[];
  /** Private notes of the site's operators, oldest first: never sent to the visitor. */
  notes: NoteDto[];
  /** Older messages exist: `conversation:earlier` brings them. */
  hasEarlier: boolean;
}

export type Channel = 'WIDGET' | 'REST' | 'TELEGRAM';

/**
 * The inbox's lists: `queue` waiting and taken (the escalation queue), `open` with the bot (live),
 * `mine` taken by the caller, `waiting` escalated and not yet taken, `resolved`.
 */
export const INBOX_VIEWS = ['queue', 'open', 'mine', 'waiting', 'resolved'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

export const INBOX_LIMITS = {
  /** A conversation opens with this many of its newest messages; `conversation:earlier` pages back as many. */
  openMessages: 50,
  pageSize: 25,
  maxPageSize: 100,
  searchMaxChars: 200,
} as const;

/** Narrows a list or a search; absent fields do not. */
export interface InboxFilters {
  siteKey?: string;
  priority?: Priority;
  intent?: Category;
  channel?: Channel;
}

/** One page of a list. `cursor` is the previous page's `nextCursor` (opaque): pages never repeat or skip a row. */
export interface InboxListInput extends InboxFilters {
  view: InboxView;
  cursor?: string;
  limit?: number;
}

export interface InboxPage {
  /** Newest conversation first. */
  items: QueueItem[];
  /** Null on the last page. */
  nextCursor: string | null;
}

/**
 * Full-text search over messages, in Russian and English at once ("роутеры" finds "роутер",
 * "routers" finds "router"); words are ANDed, `"a phrase"` and `-word` work as in web search.
 */
export interface InboxSearchInput extends InboxFilters {
  query: string;
  cursor?: string;
  limit?: number;
}

/** A message that matched, with its conversation. */
export interface SearchHit {
  item: QueueItem;
  message: MessageDto;
}

export interface SearchPage {
  /** Newest message first. */
  hits: SearchHit[];
  nextCursor: string | null;
}

/** An operator's private note in a conversation: only the site's operators ever see it. */
export interface NoteDto {
  id: string;
  conversationId: string;
  text: string;
  operatorId: string | null;
  operatorName: string | null;
  createdAt: string;
}

/** A site's canned response: `/shortcut` in the reply box inserts its text. */
export interface CannedResponseDto {
  id: string;
  shortcut: string;
  /** Plain text (never rendered as HTML) with `{{visitor_name}}`, `{{operator_name}}`, `{{site_name}}` filled in when inserted. */
  text: string;
  updatedAt: string;
}

/** `canned:save`: no id creates one. */
export interface CannedResponseInput extends SiteScope {
  id?: string;
  shortcut: string;
  text: string;
}

export const CANNED_LIMITS = {
  /** Letters, digits, `-` and `_`: what an operator types after `/`. */
  shortcutMaxChars: 40,
  textMaxChars: 2000,
  /** Per site: enough for a team's phrasebook, small enough to send whole. */
  perSite: 500,
} as const;

/** The variables a canned response may use. */
export const CANNED_VARIABLES = ['visitor_name', 'operator_name', 'site_name'] as const;

/** An operator of a site as its teammates see it (the transfer picker). */
export interface TeamMateDto {
  operatorId: string;
  name: string;
  availability: Availability;
  /** A console of it is connected now. */
  online: boolean;
  /** Conversations it answers now. */
  open: number;
  maxConversations: number;
}

/** Bounds of `operator:availability`'s `maxConversations`. */
export const MAX_CONVERSATIONS_LIMIT = 50;

/** A note is a remark to colleagues, not a letter. */
export const NOTE_MAX_CHARS = 2000;

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

/** `operator:profile:update`: only the fields sent change; null or '' clears one. */
export interface OperatorProfileUpdate {
  displayName?: string | null;
  avatarUrl?: string | null;
}

export interface OperatorClientToServerEvents {
  /** The operator's own display name and avatar, as visitors see them. */
  'operator:profile:update': (payload: OperatorProfileUpdate, ack: (res: Ack<OperatorProfile>) => void) => void;
  /** The open incidents and queue of every site the operator works in (one site's with `{ siteKey }`). */
  'queue:list': ScopedRead<{ items: QueueItem[]; incidents: IncidentDto[] }>;
  /** A page of one inbox view, in the operator's sites (or the filtered one). */
  'inbox:list': (payload: InboxListInput, ack: (res: Ack<InboxPage>) => void) => void;
  /** Messages of the operator's sites matching the words, newest first. */
  'inbox:search': (payload: InboxSearchInput, ack: (res: Ack<SearchPage>) => void) => void;
  /** The conversation with its newest messages (see `ConversationDetail.hasEarlier`). */
  'conversation:open': (payload: { conversationId: string }, ack: (res: Ack<ConversationDetail>) => void) => void;
  /** The messages just before `beforeSeq` (at most `INBOX_LIMITS.openMessages`), oldest first. */
  'conversation:earlier': (
    payload: { conversationId: string; beforeSeq: number },
    ack: (res: Ack<{ messages: MessageDto[]; hasEarlier: boolean }>) => void,
  ) => void;
  'conversation:claim': (payload: { conversationId: string }, ack: (res: Ack<QueueItem>) => void) => void;
  'conversation:reply': (
    payload: { conversationId: string; text: string; clientMessageId: string },
    ack: (res: Ack<MessageDto>) => void,
  ) => void;
  'conversation:typing': (payload: { conversationId: string; typing: boolean }) => void;
  /** A private note: any operator of the site may write one; it reaches the operators watching, never the visitor. */
  'conversation:note': (payload: { conversationId: string; text: string }, ack: (res: Ack<NoteDto>) => void) => void;
  'conversation:resolve': (payload: { conversationId: string }, ack: (res: Ack<QueueItem>) => void) => void;
  /** To another operator of the conversation's site (its owner, or the site's admins, may); the receiver is told. */
  'conversation:transfer': (payload: { conversationId: string; operatorId: string }, ack: (res: Ack<QueueItem>) => void) => void;
  'conversation:handback': (payload: { conversationId: string }, ack: (res: Ack<QueueItem>) => void) => void;
  'incident:resolve': (payload: { incidentId: string; message: string }, ack: (res: Ack<IncidentDto>) => void) => void;
  'templates:list': ScopedRead<{ templates: TemplateDto[] }>;
  /** The site's admins (and owners) only. */
  'templates:save': (
    payload: { category: TemplateKey; locale: string; variants: string[] } & SiteScope,
    ack: (res: Ack<TemplateDto>) => void,
  ) => void;
  /** The site's knowledge base (its admins may change it; its operators read it). */
  'knowledge:list': ScopedRead<{ articles: KnowledgeArticleDto[] }>;
  'knowledge:save': (payload: KnowledgeArticleInput & SiteScope, ack: (res: Ack<KnowledgeArticleDto>) => void) => void;
  'knowledge:delete': (payload: { id: string } & SiteScope, ack: (res: Ack<{ id: string }>) => void) => void;
  /** The site's operators (for a transfer) and whether its waiting conversations are assigned automatically. */
  'team:list': ScopedRead<{ operators: TeamMateDto[]; autoAssign: boolean }>;
  /** The site's admins: round-robin auto-assignment on or off. */
  'team:auto-assign': (payload: { enabled: boolean } & SiteScope, ack: (res: Ack<{ autoAssign: boolean }>) => void) => void;
  /** The operator's own availability and capacity. */
  'operator:availability': (payload: { availability?: Availability; maxConversations?: number }, ack: (res: Ack<OperatorProfile>) => void) => void;
  /** The site's canned responses: its operators read them, its admins change them. */
  'canned:list': ScopedRead<{ responses: CannedResponseDto[] }>;
  'canned:save': (payload: CannedResponseInput, ack: (res: Ack<CannedResponseDto>) => void) => void;
  'canned:delete': (payload: { id: string } & SiteScope, ack: (res: Ack<{ id: string }>) => void) => void;
  /** Marks a bot answer from the knowledge base wrong (or not): stored and counted. */
  'message:mark-wrong': (payload: { conversationId: string; messageId: string; wrong: boolean }, ack: (res: Ack<MessageDto>) => void) => void;
  /** The site's admins (and owners) only: its REST API keys. */
  'apikeys:list': ScopedRead<{ keys: ApiKeyDto[] }>;
  'apikeys:create': (payload: { name: string } & SiteScope, ack: (res: Ack<{ key: string; record: ApiKeyDto }>) => void) => void;
  'apikeys:revoke': (payload: { id: string } & SiteScope, ack: (res: Ack<ApiKeyDto>) => void) => void;
  /** Owners: every site. Everyone else: the sites they are a member of, with their role there. */
  'sites:list': (ack: (res: Ack<{ sites: SiteDto[] }>) => void) => void;
  /** Owners only. */
  'sites:create': (payload: SiteCreateInput, ack: (res: Ack<SiteDto>) => void) => void;
  /** Owners; a site's admins for its settings and origins. Open widgets get the new settings (`site:settings`). */
  'sites:update': (payload: SiteUpdateInput, ack: (res: Ack<SiteDto>) => void) => void;
  /** The site's Telegram bot: its admins and owners only. */
  'telegram:get': ScopedRead<TelegramSettingsDto>;
  'telegram:update': (payload: TelegramUpdateInput, ack: (res: Ack<TelegramSettingsDto>) => void) => void;
  /** The site's team: its admins and owners only. */
  'members:list': ScopedRead<{ members: SiteMemberDto[] }>;
  'members:add': (payload: MemberAddInput, ack: (res: Ack<{ member: SiteMemberDto; created: boolean }>) => void) => void;
  /** A site keeps at least one admin unless an owner removes it. */
  'members:remove': (payload: { operatorId: string } & SiteScope, ack: (res: Ack<{ operatorId: string }>) => void) => void;
  /** A conversation's transcript as a file (any member of its site). */
  'conversation:export': (payload: { conversationId: string; format: TranscriptFormat }, ack: (res: Ack<TranscriptFile>) => void) => void;
  /** Erases the conversation's visitor and everything of theirs (the site's admins and owners only). */
  'visitor:erase': (payload: { conversationId: string }, ack: (res: Ack<ErasureDto>) => void) => void;
  /** The site's audit log, newest first, 100 at a time (`before`: the oldest `createdAt` shown). Admins and owners. */
  'audit:list': (payload: SiteScope & { before?: string }, ack: (res: Ack<{ entries: AuditEntryDto[] }>) => void) => void;
  /** The site's numbers of a period (any member of the site). */
  'analytics:get': (payload: AnalyticsQuery, ack: (res: Ack<AnalyticsDto>) => void) => void;
}

export interface OperatorServerToClientEvents {
  /** A conversation entered, changed in, or left the queue. */
  'queue:upsert': (item: QueueItem) => void;
  'queue:remove': (payload: { conversationId: string }) => void;
  /**
   * A visitor started a conversation (the bot has it): the inbox's Open view has a new row. Its
   * later moves (escalated, claimed, resolved, handed back) come as `queue:upsert` / `queue:remove`.
   */
  'inbox:started': (payload: { conversationId: string; siteKey: string }) => void;
  'conversation:message': (message: MessageDto) => void;
  /** A private note, to the operators watching the conversation. */
  'conversation:note': (note: NoteDto) => void;
  'conversation:typing': (payload: { conversationId: string; author: 'visitor'; typing: boolean }) => void;
  'incident:opened': (incident: IncidentDto) => void;
  'incident:resolved': (incident: IncidentDto) => void;
  /**
   * Operators online: per site of the operator's (`siteKey` set; its members and the owners), and
   * for owners the deployment's total (no `siteKey`).
   */
  'operators:online': (payload: { count: number; siteKey?: string }) => void;
  /** A conversation was given to this operator: transferred by `from`, or auto-assigned (`from` null). */
  'conversation:assigned': (payload: { item: QueueItem; from: string | null }) => void;
  /** The operator's own memberships changed (added to or removed from a site, another role, became an owner). */
  'operator:profile': (profile: OperatorProfile) => void;
}
