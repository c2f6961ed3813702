/**
 * The small interfaces services need from the outside world. Adapters implement them
 * (Prisma store, Redis/memory cache, OpenAI/local classifier, schedulers); tests and server.ts
 * choose which. Services never import an adapter.
 */
import type { WaitingConversation } from '../domain/queue/waiting-queue.ts';
import type {
  AnalyticsDto,
  AuditAction,
  AuditEntryDto,
  Availability,
  Classification,
  ConversationStatus,
  IncidentDto,
  KnowledgeSource,
  MessageDto,
  NoteDto,
  Priority,
  OperatorProfile,
  OperatorRole,
  PublicWidgetSettings,
  QueueItem,
  SiteRole,
  VisitorProfile,
  TemplateDto,
  WidgetSettings,
  QueuePlace,
} from '@support-chat/protocol';

export interface Clock {
  now(): Date;
}

/** Whose message is being classified: paid LLM calls are budgeted per site. */
export interface ClassifyContext {
  siteId: string;
}

export interface Classifier {
  classify(text: string, context?: ClassifyContext): Promise<Classification>;
}

/** A string cache with TTLs: Redis when configured, a bounded in-memory LRU otherwise. */
export interface KeyValueCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Distinct reporters of a failure per site within a sliding window (mass-outage detector). */
export interface OutageReports {
  /** Records a report and returns the distinct visitors who reported within the window. */
  record(siteId: string, visitorId: string, at: Date): Promise<string[]>;
  clear(siteId: string): Promise<void>;
}

export interface SiteRecord {
  id: string;
  key: string;
  name: string;
  allowedOrigins: string[];
  locale: string;
  /** HMAC key the site's backend signs its users' ids with; null/absent = no verified identities. */
  identitySecret?: string | null;
  /** Only a verified identity may give the visitor a name or an email. */
  requireVerifiedIdentity?: boolean;
  /** Clients without an Origin header (native apps) are taken, with a verified identity only. */
  allowOriginless?: boolean;
  /** False: its widget, settings and REST calls are refused (absent = enabled). */
  enabled?: boolean;
  /** The widget's look and words (absent = the defaults). */
  settings?: WidgetSettings;
  createdAt?: Date;
}

/** A site as `upsertSite` takes it: the key, name, origins and locale, optionally the rest. */
export type NewSite = Pick<SiteRecord, 'key' | 'name' | 'allowedOrigins' | 'locale'> &
  Partial<Pick<SiteRecord, 'identitySecret' | 'requireVerifiedIdentity' | 'allowOriginless' | 'enabled' | 'settings'>>;

export interface ConversationRecord {
  id: string;
  siteId: string;
  visitorId: string;
  visitorExternalId: string;
  visitorName: string | null;
  status: ConversationStatus;
  priority: Priority;
  escalationReason: string | null;
  channel: 'WIDGET' | 'REST' | 'TELEGRAM';
  platform: string | null;
  chatId: string | null;
  webhookUrl: string | null;
  locale: string | null;
  ownerId: string | null;
  incidentId: string | null;
}

/** A message with what visitors may see of its operator. */
export type VisibleMessage = MessageDto & Pick<StoredMessage, 'operatorDisplayName'>;

export interface StoredMessage extends MessageDto {
  /** The display name of the operator who wrote it (or joined, on the "joined" notice): what visitors may see. */
  operatorDisplayName?: string | null;
  confidence: number | null;
  classificationSource: string | null;
  templateKey: string | null;
  sources?: KnowledgeSource[] | null;
  markedWrong?: boolean;
}

export interface PendingReplyRecord {
  id: string;
  conversationId: string;
  text: string;
  category: string;
  templateKey: string | null;
  sources: KnowledgeSource[] | null;
  typingAt: Date;
  dueAt: Date;
  status: 'PENDING' | 'DELIVERED' | 'CANCELLED';
  messageId: string | null;
  inReplyTo: string | null;
}

export interface NewReply {
  text: string;
  category: string;
  templateKey: string | null;
  /** A knowledge-base answer: the articles it quotes (copied to the bot message). */
  sources?: KnowledgeSource[] | null;
  typingAt: Date;
  dueAt: Date;
  inReplyTo: string | null;
}

/** A visitor message as a channel hands it in (see `ChatStore.receiveVisitorMessage`). */
export interface IncomingVisitorMessage {
  siteId: string;
  visitorExternalId: string;
  channel: 'WIDGET' | 'REST' | 'TELEGRAM';
  text: string;
  clientMessageId: string | null;
  locale?: string | null;
  /** REST: the platform's chat and webhook; the latest ones win. */
  platform?: string | null;
  chatId?: string | null;
  webhookUrl?: string | null;
  /** Telegram: the sender's name, stored on the visitor at each new conversation when it changed. */
  visitorName?: string | null;
}

/** What a (re)connecting widget is sent (see `ChatStore.visitorSession`). */
export interface VisitorSessionRecord {
  conversation: { id: string; status: ConversationStatus } | null;
  messages: StoredMessage[];
  incident: { id: string; status: 'OPEN' } | null;
}

/** A visitor message left undecided, leased to one process's recovery sweep. */
export interface UndecidedMessage {
  messageId: string;
  conversationId: string;
  seq: number;
}

/** Everything one decision reads (see `ChatStore.decisionContext`). */
export interface DecisionContext {
  conversation: ConversationRecord;
  message: StoredMessage;
  /** The visitor's latest messages up to and including `message`, oldest first. */
  history: StoredMessage[];
  /** The bot's last template reply, delivered or still planned (a planned one is due soon). */
  lastBotTemplateKey: string | null;
  /** When that reply was sent, or planned (null: none yet). */
  lastBotReplyAt: Date | null;
  /** Whether the visitor had a conversation before this one, when the store read it with the message. */
  visitorHadEarlierConversation?: boolean;
}

/** Everything one decision writes, applied at once (see `ChatStore.applyDecision`). */
export interface DecisionToApply {
  conversationId: string;
  messageId: string;
  seq: number;
  classification: Classification;
  escalate: { priority: Priority; reason: string } | null;
  /** What the conversation is about from now on (null: unchanged); see domain/escalation/conversation-intent.ts. */
  intent: { category: string; confidence: number | null } | null;
  reply: Omit<NewReply, 'inReplyTo'> | null;
  /** With no reply: cancel the bot's pending replies (the conversation is escalated or taken over). */
  cancelIfNoReply: boolean;
  at: Date;
  /**
   * Set for a reply due at `at` (no typing phase, no delay): the decision's own statement delivers
   * it, with what `deliverReply` stores alongside (the Telegram call, the webhook job); nothing is
   * planned, so there is nothing left to deliver.
   */
  deliverNow?: { telegram?: TelegramDelivery; webhook: WebhookDeliveryLease };
}

export type AppliedDecision =
  | { decided: false }
  | {
      decided: true;
      /** The conversation's status once the decision is applied. */
      status: ConversationStatus;
      /** Set when this decision escalated (new priority and reason). */
      escalated: boolean;
      priority: Priority | null;
      escalationReason: string | null;
      cancelled: number;
      /** The planned reply, or null when none was planned (an operator owns the conversation). */
      replyId: string | null;
      /** The reply this decision delivered itself (see `DecisionToApply.deliverNow`), else null. */
      delivered: DeliveredReply | null;
    };

export interface WebhookJob {
  id: string;
  url: string;
  /** Null for a bot reply's job stored by its delivery: built from the message when sent. */
  payload: unknown;
  messageId: string;
  /** The conversation of the message (failures are logged with it). */
  conversationId: string;
  attempts: number;
}

/** What the product did, counted for `/metrics` (Prometheus in server.ts; nothing in unit tests). */
export interface ProductMetrics {
  /** A visitor message was decided. */
  message(channel: 'WIDGET' | 'REST' | 'TELEGRAM', category: string): void;
  escalation(reason: string): void;
  /** A paced reply went out this long after its planned time. */
  replyLateness(seconds: number): void;
  webhookAttempt(outcome: 'delivered' | 'retry' | 'failed'): void;
  classification(source: string, seconds: number): void;
}

export const noProductMetrics: ProductMetrics = {
  message: () => undefined,
  escalation: () => undefined,
  replyLateness: () => undefined,
  webhookAttempt: () => undefined,
  classification: () => undefined,
};

/** An operator's place in one site's team. */
export interface MembershipRecord {
  siteId: string;
  siteKey: string;
  siteName: string;
  role: SiteRole;
}

export interface OperatorRecord {
  id: string;
  email: string;
  name: string;
  role: OperatorRole;
  /** What visitors see (see OperatorProfile). */
  displayName: string | null;
  avatarUrl: string | null;
  passwordHash: string;
  /** Carried in every session token; a token of another version is revoked. */
  tokenVersion: number;
  availability: Availability;
  maxConversations: number;
  /** The sites it is a member of, oldest site first. */
  memberships: MembershipRecord[];
}

export interface Stats {
  conversations: number;
  messages: number;
  messagesByCategory: Record<string, number>;
  conversationsByStatus: Record<string, number>;
  /** Bot answers quoted from the knowledge base, and how many of them operators marked wrong. */
  knowledgeAnswers: number;
  knowledgeMarkedWrong: number;
}

export interface ChatStore {
  ping(): Promise<void>;

  findSiteByKey(key: string): Promise<SiteRecord | null>;
  findSiteById(id: string): Promise<SiteRecord | null>;
  /** Creates the site, or updates its allowed origins (and the other fields given). */
  upsertSite(site: NewSite): Promise<SiteRecord>;

  /**
   * Stores a visitor message in the visitor's open conversation — both created when missing —
   * with the next seq, at once. A message whose clientMessageId is stored already is not stored
   * again: the stored one comes back, duplicate. With it, like `appendVisitorMessage`, what its
   * decision reads (the latest `historyLimit` visitor messages).
   */
  receiveVisitorMessage(message: IncomingVisitorMessage, historyLimit?: number): Promise<{ message: StoredMessage; duplicate: boolean; context?: DecisionContext | null }>;
  findCurrentConversation(siteId: string, visitorExternalId: string): Promise<ConversationRecord | null>;
  /** The visitor's latest conversation, its messages the widget has not shown, the open incident: one read. */
  visitorSession(siteId: string, visitorExternalId: string, known: { conversationId: string | null; afterSeq: number }, limit: number): Promise<VisitorSessionRecord>;
  /** Sets the given fields of the visitor's profile (creating the visitor if it is new). */
  saveVisitorProfile(siteId: string, visitorExternalId: string, profile: VisitorProfile): Promise<void>;
  getConversation(id: string): Promise<ConversationRecord | null>;

  /**
   * Stores a message with the next per-conversation seq. A visitor/operator message with a
   * clientMessageId already stored is not stored again: the stored one comes back, duplicate.
   * With `onlyIfOpen`, answers null instead of adding to a resolved conversation.
   */
  appendMessage(
    conversationId: string,
    message: {
      author: 'visitor' | 'bot' | 'operator' | 'system';
      text: string;
      clientMessageId?: string | null;
      operatorId?: string | null;
      templateKey?: string | null;
      category?: string | null;
      onlyIfOpen?: boolean;
    },
  ): Promise<{ message: StoredMessage; duplicate: boolean } | null>;
  /**
   * A widget message in a known conversation, stored with the next seq in one statement that also
   * returns its decision context (null when the conversation is resolved; no context for a duplicate).
   */
  appendVisitorMessage(
    conversationId: string,
    message: { text: string; clientMessageId: string | null },
    historyLimit: number,
  ): Promise<{ message: StoredMessage; duplicate: boolean; context: DecisionContext | null } | null>;
  messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]>;
  /** The latest visitor messages, oldest first. */
  recentVisitorMessages(conversationId: string, limit: number): Promise<StoredMessage[]>;
  /** The site's conversations waiting for an operator (nobody owns them yet). */
  waitingConversations(siteId: string): Promise<WaitingConversation[]>;
  /** Ms from escalation to the first operator message, of the site's latest escalations since `since` (newest first). */
  recentFirstResponses(siteId: string, since: Date, limit: number): Promise<number[]>;
  /** Sets the operator's display name and avatar (the fields given); null when there is no such operator. */
  updateOperatorProfile(id: string, patch: { displayName?: string | null; avatarUrl?: string | null }): Promise<OperatorRecord | null>;
  /** The conversation's visitor had another conversation on the site before this one (it was resolved). */
  visitorHadEarlierConversation(conversationId: string): Promise<boolean>;
  /**
   * Leases visitor messages still undecided since before `staleBefore` (their process died or
   * failed) to the caller until `leaseUntil`; no two callers get the same message at once.
   */
  claimUndecided(now: Date, staleBefore: Date, leaseUntil: Date, limit: number): Promise<UndecidedMessage[]>;
  getMessage(id: string): Promise<StoredMessage | null>;
  /** The conversation, the message, its history and the last bot template, in one read. */
  decisionContext(conversationId: string, messageId: string, historyLimit: number): Promise<DecisionContext | null>;

  /** Writes a decision exactly once, all or nothing, under the conditions it was made for. */
  applyDecision(decision: DecisionToApply): Promise<AppliedDecision>;
  cancelPendingReplies(conversationId: string): Promise<string[]>;
  /**
   * PENDING → DELIVERED plus the bot message, exactly once across processes; null if not pending.
   * With `telegram`, a Telegram conversation's reply is stored as its outbox call in the same write.
   */
  deliverReply(replyId: string, at: Date, telegram?: TelegramDelivery, webhook?: WebhookDeliveryLease): Promise<DeliveredReply | null>;
  /** PENDING replies, soonest first; only those due by `dueBefore` when it is given. */
  pendingReplies(dueBefore?: Date, limit?: number): Promise<PendingReplyRecord[]>;
  /** Retention: deletes delivered/cancelled replies and finished webhook deliveries older than `before`. */
  deleteFinishedBefore(before: Date, limit: number): Promise<{ replies: number; webhooks: number }>;
  replyFor(messageId: string): Promise<PendingReplyRecord | null>;


  templates(siteId: string): Promise<TemplateDto[]>;
  saveTemplate(siteId: string, category: string, locale: string, variants: string[]): Promise<TemplateDto>;
  seedTemplates(siteId: string, library: Record<string, Record<string, string[]>>): Promise<number>;

  /** Stores a delivery, leased to the caller until `leaseUntil` (it attempts it at once). */
  enqueueWebhook(messageId: string, url: string, payload: unknown, leaseUntil: Date): Promise<WebhookJob | null>;
  dueWebhooks(now: Date, limit: number): Promise<WebhookJob[]>;
  /** Takes a delivery for one attempt (pushes its next attempt past `leaseUntil`); false if another worker has it. */
  leaseWebhook(id: string, now: Date, leaseUntil: Date): Promise<boolean>;
  webhookDelivered(id: string, at: Date): Promise<void>;
  webhookFailed(id: string, error: string, nextAttemptAt: Date | null): Promise<void>;

  stats(): Promise<Stats>;
  /** Marks (or with null unmarks) a knowledge-base answer of the conversation wrong; null if there is no such answer. */
  markAnswerWrong(conversationId: string, messageId: string, mark: { operatorId: string; at: Date } | null): Promise<StoredMessage | null>;

  // Operators, queue, incidents
  findOperatorByEmail(email: string): Promise<OperatorRecord | null>;
  getOperator(id: string): Promise<OperatorRecord | null>;
  /**
   * Creates the operator, or updates it and raises its token version (a new password ends every
   * session). `sites` (by key) are joined with the given role; other memberships are kept.
   */
  upsertOperator(op: Omit<OperatorRecord, 'id' | 'tokenVersion' | 'memberships' | 'displayName' | 'avatarUrl' | 'availability' | 'maxConversations'>, sites?: { siteKey: string; role: SiteRole }[]): Promise<OperatorRecord>;
  /** Raises the operator's token version: every token issued so far stops working. */
  revokeOperatorTokens(id: string): Promise<void>;
  /** Waiting and taken conversations of these sites (every site's when `siteIds` is absent). */
  queue(siteIds?: readonly string[]): Promise<QueueItem[]>;
  queueItem(conversationId: string): Promise<QueueItem | null>;
  /** Sets the owner only when nobody owns it yet: exactly one of two racing operators wins. */
  claim(conversationId: string, operatorId: string): Promise<boolean>;
  resolve(conversationId: string, at: Date): Promise<ConversationRecord | null>;
  handBack(conversationId: string): Promise<ConversationRecord | null>;
  rate(conversationId: string, rating: number): Promise<void>;
  openIncident(siteId: string): Promise<IncidentDto | null>;
  /** The site's OPEN incident, created if there is none — one per site even when processes race. */
  openOrCreateIncident(siteId: string): Promise<IncidentDto>;
  linkIncident(conversationId: string, incidentId: string): Promise<void>;
  /** Links the open conversations of these visitors (the reporters in the window) to an incident. */
  linkVisitorsToIncident(siteId: string, visitorIds: string[], incidentId: string): Promise<number>;
  getIncident(id: string): Promise<IncidentDto | null>;
  resolveIncident(incidentId: string, resolution: string, at: Date): Promise<{ incident: IncidentDto; siteId: string; conversationIds: string[] } | null>;
  /** Incidents of these sites (every site's when `siteIds` is absent). */
  incidents(status?: 'OPEN' | 'RESOLVED', siteIds?: readonly string[]): Promise<IncidentDto[]>;
  /** The site an incident belongs to. */
  incidentSite(incidentId: string): Promise<string | null>;
}

/** Live updates to browsers; the Socket.IO layer implements it (across processes with Redis). */
/** Who of the conversation's watchers get a message, besides the operators watching it. */
export interface MessageAudience {
  /** The name visitors see on an operator's message (the site's `operatorName`); operators see the real one. */
  visitorOperatorName?: string | null;
  /** A visitor connection that has the message already (the sender's socket, from its ack). */
  exceptVisitor?: string;
  /** False for a REST or Telegram conversation: no widget can be in its room, so nothing is sent there. */
  widget?: boolean;
}

export interface Realtime {
  message(conversationId: string, message: VisibleMessage, audience?: MessageAudience): void;
  typing(conversationId: string, author: 'bot' | 'operator', typing: boolean): void;
  status(conversationId: string, status: ConversationStatus, priority: Priority): void;
  /** A waiting visitor's place in the queue (null: no longer waiting). */
  queuePlace(conversationId: string, place: QueuePlace | null): void;
  /** Queue changes and incidents reach the operators of the site (and the owners), nobody else. */
  queueUpsert(siteId: string, item: QueueItem): void;
  queueRemove(siteId: string, conversationId: string): void;
  /** A new conversation, for the consoles of the site's operators (and the owners) that are open. */
  conversationStarted?(site: Pick<SiteRecord, 'id' | 'key'>, conversationId: string): void;
  incidentOpened(siteId: string, incident: IncidentDto, bannerText: { ru: string; en: string }): void;
  incidentResolved(siteId: string, incident: IncidentDto): void;
  ratingRequest(conversationId: string): void;
  visitorTyping?(conversationId: string, typing: boolean): void;
  /** Operators who could answer the site now (its members and the owners); every operator without a site. */
  operatorsOnline(siteId?: string): number;
  /** A private note: to the operators watching the conversation only (never a visitor room). */
  note?(conversationId: string, note: NoteDto): void;
  /** The site's open widgets get its new settings. */
  siteSettings?(siteId: string, settings: PublicWidgetSettings): void;
  /** The site was disabled: its open widgets are disconnected (and refused when they come back). */
  siteDisabled?(siteId: string): void;
  /** The site's members with a console connected now (every process's, as last counted). */
  onlineMembers?(siteId: string): string[];
  /** A conversation was given to this operator (by a transfer from `from`, or auto-assigned). */
  assigned?(operatorId: string, item: QueueItem, from: string | null): void;
  /** The operator's consoles get its changed profile. */
  profile?(operatorId: string, profile: OperatorProfile): void;
  /** An operator's memberships or role changed: its open consoles join and leave site rooms (every process). */
  operatorAccessChanged?(operatorId: string): void;
}

/** A site's team member as the store keeps it. */
export interface SiteMemberRecord {
  operatorId: string;
  email: string;
  name: string;
  role: SiteRole;
}

/** What `sites:update` may change; absent fields stay. */
export interface SiteChanges {
  name?: string;
  allowedOrigins?: string[];
  locale?: string;
  enabled?: boolean;
  settings?: WidgetSettings;
}

/** Sites and their teams, as the console manages them (see `adapters/db/prisma-sites.ts`). */
export interface SiteStore {
  /** Every site (or these), oldest first. */
  list(siteIds?: readonly string[]): Promise<SiteRecord[]>;
  /** A new site under a fresh key made from `keyBase` and a random suffix. */
  create(site: { name: string; allowedOrigins: string[]; locale: string }, keyBase: string): Promise<SiteRecord>;
  /** Applies the changes (a change of name, locale or origins marks the site edited: see `seed`); null for an unknown site. */
  update(siteId: string, changes: SiteChanges, at: Date): Promise<SiteRecord | null>;
  /**
   * The start-up seed (the demo site from the environment): creates the site, or refreshes its
   * name, locale and origins — unless someone edited it in the console since.
   */
  seed(site: NewSite): Promise<SiteRecord>;
  members(siteId: string): Promise<SiteMemberRecord[]>;
  /** Adds the operator to the site, or changes its role there. */
  setMember(siteId: string, operatorId: string, role: SiteRole): Promise<SiteMemberRecord>;
  /** False when it was not a member. */
  removeMember(siteId: string, operatorId: string): Promise<boolean>;
  /** A new operator account, member of the site; null when the email has an account already. */
  createMember(siteId: string, account: { email: string; name: string; passwordHash: string }, role: SiteRole): Promise<SiteMemberRecord | null>;
}

/** Sends one delivery to a REST platform's webhook (X-Webhook-URL), signed with `secret`. */
export interface WebhookSender {
  post(url: string, payload: unknown, messageId: string, secret: string): Promise<void>;
}

/** The signing key of the site a message belongs to (read at every attempt, so a rotation applies to retries). */
export interface WebhookSecrets {
  forMessage(messageId: string): Promise<string>;
}

/** A site's REST API key as an admin sees it: never the key itself, which is shown once at creation. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  /** The key's first characters, to tell keys apart. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Per-site keys of the REST channel, stored as hashes (see `adapters/auth/prisma-api-keys.ts`). */
export interface ApiKeys {
  /** Makes a key; the returned `key` exists nowhere else afterwards. */
  create(siteId: string, name: string): Promise<{ key: string; record: ApiKeyRecord }>;
  list(siteId: string): Promise<ApiKeyRecord[]>;
  /** Revokes the site's key with this id or prefix; null when the site has no such key. */
  revoke(siteId: string, idOrPrefix: string): Promise<ApiKeyRecord | null>;
  /** The site a presented key speaks for, or null (unknown, malformed or revoked). */
  verify(key: string): Promise<{ keyId: string; siteKey: string } | null>;
}

/** A site's knowledge-base article as stored (see `adapters/db/prisma-knowledge.ts`). */
export interface KnowledgeArticleRecord {
  id: string;
  siteId: string;
  slug: string;
  title: string;
  /** Markdown. */
  body: string;
  url: string | null;
  locale: string | null;
  enabled: boolean;
  updatedAt: Date;
}

export type KnowledgeArticleFields = Pick<KnowledgeArticleRecord, 'slug' | 'title' | 'body' | 'url' | 'locale' | 'enabled'>;

/** The knowledge-base articles of each site. */
export interface KnowledgeArticles {
  list(siteId: string, options?: { enabledOnly?: boolean }): Promise<KnowledgeArticleRecord[]>;
  /** Creates the article, or updates the one with this id; null when the id is not the site's. A slug taken by another article throws `SlugTaken`. */
  save(siteId: string, id: string | null, fields: KnowledgeArticleFields): Promise<KnowledgeArticleRecord | null>;
  /** False when the site has no article with this id. */
  delete(siteId: string, id: string): Promise<boolean>;
  /** Makes the site's articles exactly these, matched by slug: added, updated (changed only) and removed counts. */
  replaceAll(siteId: string, articles: readonly KnowledgeArticleFields[]): Promise<{ added: string[]; updated: string[]; removed: string[]; unchanged: number }>;
}

/** Another article of the site already has this slug. */
export class SlugTaken extends Error {
  override name = 'SlugTaken';
}

/** Where a page of an inbox list or search ends: the last row's order key. */
export interface InboxCursor {
  createdAt: Date;
  id: string;
}

/** Which conversations a list or a search looks at; `siteIds` null = every site (an owner). */
export interface InboxScope {
  siteIds: readonly string[] | null;
  priority?: Priority;
  intent?: string;
  channel?: 'WIDGET' | 'REST' | 'TELEGRAM';
}

/** The operators' inbox reads (see `adapters/db/prisma-inbox.ts`). */
export interface InboxRepo {
  /** Conversations in these statuses (and of this owner), newest first, strictly after the cursor. */
  conversations(scope: InboxScope & { statuses: readonly ConversationStatus[]; ownerId?: string }, after: InboxCursor | null, limit: number): Promise<QueueItem[]>;
  /** Messages matching the words (Russian and English full text), newest first, strictly after the cursor. */
  search(scope: InboxScope, text: string, after: InboxCursor | null, limit: number): Promise<Array<{ item: QueueItem; message: StoredMessage }>>;
  /** The newest `limit` messages before `beforeSeq` (null: the very newest), oldest first. */
  messagesBefore(conversationId: string, beforeSeq: number | null, limit: number): Promise<StoredMessage[]>;
}

/** A site whose Telegram bot is switched on, with its token as stored (sealed). */
export interface TelegramBotRecord {
  siteId: string;
  siteKey: string;
  sealedToken: string;
}

/** A Bot API call the Telegram outbox must make (see `TelegramOutbox`). */
export interface NewTelegramCall {
  /** What it delivers (`msg:<message id>`, `cb:<callback id>` …): the same key is stored once. */
  key: string;
  siteId: string;
  conversationId: string | null;
  method: string;
  payload: Record<string, unknown>;
}

export interface TelegramCallJob extends NewTelegramCall {
  id: string;
  attempts: number;
}

export interface EnqueuedCall {
  job: TelegramCallJob;
  attemptNow: boolean;
}

/** A reply's outbox call stored with its delivery: leased to the deliverer until `leaseUntil`. */
export interface TelegramDelivery {
  leaseUntil: Date;
}

/** Asked for with a delivery: a conversation with a webhook gets its job stored by the same statement, leased until then. */
export interface WebhookDeliveryLease {
  leaseUntil: Date;
}

export interface DeliveredReply {
  message: StoredMessage;
  conversation: ConversationRecord;
  /** Asked for (`WebhookDeliveryLease`) and a conversation with a webhook: the id of its stored job. */
  webhookJobId?: string;
  /** Asked for (`TelegramDelivery`) and a Telegram conversation: its call as `enqueueCall` answers (absent: its key was stored already). */
  telegramCall?: EnqueuedCall;
}

/** A call leased by the sweep; `blocked`: its conversation's user blocked the bot meanwhile. */
export interface LeasedCall extends TelegramCallJob {
  blocked: boolean;
}

/** The Telegram channel's data: bot settings, the polling lease, the outbox (see `adapters/db/prisma-telegram.ts`). */
export interface TelegramStore {
  /** Sites with a token and the channel on. */
  enabledBots(): Promise<TelegramBotRecord[]>;
  settings(siteId: string): Promise<{ configured: boolean; enabled: boolean }>;
  /** `sealedToken` null removes the token; absent fields stay. */
  configure(siteId: string, changes: { sealedToken?: string | null; enabled?: boolean }): Promise<void>;
  /** Takes or renews the one polling lease of the site's bot; false while another process holds it. */
  leasePolling(siteId: string, owner: string, now: Date, until: Date): Promise<boolean>;
  releasePolling(siteId: string, owner: string): Promise<void>;
  /**
   * Stores the call; null when its key is stored already. `attemptNow`: it is leased to the caller
   * until `leaseUntil` (false: its conversation is blocked, stored as given up, or it waits behind a
   * pending call of its chat, due for the sweep).
   */
  enqueueCall(call: NewTelegramCall, now: Date, leaseUntil: Date): Promise<EnqueuedCall | null>;
  /** Leases due calls, each the oldest pending call of its chat, until `leaseUntil`. */
  leaseDueCalls(now: Date, leaseUntil: Date, limit: number): Promise<LeasedCall[]>;
  callsDone(ids: string[], at: Date): Promise<void>;
  /** `nextAttemptAt` null: given up. */
  callFailed(id: string, error: string, nextAttemptAt: Date | null): Promise<void>;
  /** Telegram refused the chat for good (403): remembered on the conversation. */
  markBlocked(conversationId: string, at: Date): Promise<void>;
  /** Retention: deletes delivered and given-up calls stored before `before`, at most `limit`. */
  deleteFinishedCallsBefore(before: Date, limit: number): Promise<number>;
  /** A message the bot cannot read (a photo …) is decided as such: no classification, no sweep. */
  decideUnreadable(messageId: string): Promise<void>;
}

/** The Bot API (see `adapters/telegram/bot-api.ts`); failures are `TelegramApiError`s. */
export interface TelegramApi {
  call<T = unknown>(token: string, method: string, params?: Record<string, unknown>, extraTimeoutMs?: number, signal?: AbortSignal): Promise<T>;
}

/** An operator's private note in a conversation (see `adapters/db/prisma-notes.ts`). */
export interface NoteRecord {
  id: string;
  conversationId: string;
  text: string;
  operatorId: string | null;
  operatorName: string | null;
  createdAt: Date;
}

/** Private notes, kept apart from messages: no visitor path reads this store. */
export interface ConversationNotes {
  add(conversationId: string, operatorId: string, text: string): Promise<NoteRecord>;
  /** The conversation's notes, oldest first (at most `limit`, the newest ones). */
  list(conversationId: string, limit: number): Promise<NoteRecord[]>;
}

/** A site's canned response as stored (see `adapters/db/prisma-canned-responses.ts`). */
export interface CannedResponseRecord {
  id: string;
  shortcut: string;
  text: string;
  updatedAt: Date;
}

export interface CannedResponses {
  /** The site's, by shortcut. */
  list(siteId: string): Promise<CannedResponseRecord[]>;
  count(siteId: string): Promise<number>;
  /** Creates one, or updates the site's one with this id (null when the id is not the site's). A taken shortcut throws `ShortcutTaken`. */
  save(siteId: string, id: string | null, fields: { shortcut: string; text: string }): Promise<CannedResponseRecord | null>;
  /** False when the site has no canned response with this id. */
  delete(siteId: string, id: string): Promise<boolean>;
}

/** Another canned response of the site already has this shortcut. */
export class ShortcutTaken extends Error {
  override name = 'ShortcutTaken';
}

/** One operator action, as a service reports it to the audit log. */
export interface AuditRecord {
  siteId: string;
  operator: { id: string; name: string };
  action: AuditAction;
  target: string | null;
  detail?: Record<string, unknown>;
}

/** The audit log of operator actions (claim, transfer, resolve, erase, template and settings edits). */
export interface AuditLog {
  record(entry: AuditRecord): Promise<void>;
  /** A site's entries, newest first, older than `before` when given. */
  list(siteId: string, options: { before?: Date; limit: number }): Promise<AuditEntryDto[]>;
}

/** A visitor's data, for export and for erasure on request. */
export interface VisitorDataStore {
  /**
   * Deletes the visitor of the conversation and everything of theirs — conversations, messages,
   * planned replies, webhook deliveries — in one transaction, and clears audit entries that point
   * at those conversations. Null when the conversation is gone.
   */
  eraseVisitorOf(conversationId: string): Promise<{ visitorId: string; conversationIds: string[]; messages: number } | null>;
}

/** A site's numbers of a period, computed by the database (aggregates, not rows). */
export interface AnalyticsStore {
  analytics(siteId: string, period: { from: Date; to: Date; timeZone: string }): Promise<Omit<AnalyticsDto, 'from' | 'to' | 'timeZone'>>;
}

/** A site's operator as assignment sees it. */
export interface TeamMateRecord {
  operatorId: string;
  name: string;
  availability: Availability;
  open: number;
  maxConversations: number;
  lastAssignedAt: Date | null;
}

/** Who answers a site's conversations: auto-assignment, transfers, availability (see `adapters/db/prisma-assignment.ts`). */
export interface Assignments {
  /** The site's members (these ids only, when given) with what they hold now. */
  team(siteId: string, operatorIds?: readonly string[]): Promise<TeamMateRecord[]>;
  autoAssign(siteId: string): Promise<boolean>;
  setAutoAssign(siteId: string, enabled: boolean): Promise<void>;
  /** The site's waiting conversations nobody owns, in queue order (HIGH first, then the longest waiting). */
  waiting(siteId: string, limit: number): Promise<string[]>;
  /**
   * Gives a waiting, unowned conversation to the operator if it is still available with room,
   * under a lock on the operator (two processes cannot both fill its last place); marks its turn.
   */
  assign(conversationId: string, operatorId: string, siteId: string, at: Date): Promise<boolean>;
  /** Moves a taken (or waiting) conversation from its owner `from` (null: unowned) to `to`; false if it changed meanwhile. */
  transfer(conversationId: string, from: string | null, to: string): Promise<boolean>;
  setAvailability(operatorId: string, changes: { availability?: Availability; maxConversations?: number }): Promise<void>;
}
