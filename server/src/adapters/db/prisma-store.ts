/**
 * ChatStore on Prisma. The same code runs on Postgres (@prisma/adapter-pg) and on the embedded
 * PGlite (pglite-prisma-adapter); it translates rows to the services' records and decides nothing.
 */
import type { WaitingConversation } from '../../domain/queue/waiting-queue.ts';
import type { Category, IncidentDto, KnowledgeSource, Priority, QueueItem, TemplateDto, TemplateKey, VisitorProfile } from '@support-chat/protocol';
import { randomUUID } from 'node:crypto';
import { AuthorKind, Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import { readWidgetSettings } from '../../domain/sites/widget-settings.ts';
import { driverError, prismaStatements, type Statements } from './statements.ts';
import { StatementBatches } from './statement-batches.ts';
import { isDatabaseUnavailable } from './unavailable.ts';
import { BLOCKED_REASON } from '../../services/telegram-outbox.ts';
import type {
  AppliedDecision,
  ChatStore,
  ConversationRecord,
  DecisionContext,
  DecisionToApply,
  DeliveredReply,
  IncomingVisitorMessage,
  MembershipRecord,
  NewSite,
  OperatorRecord,
  PendingReplyRecord,
  SiteRecord,
  StoredMessage,
  TelegramDelivery,
  WebhookDeliveryLease,
  UndecidedMessage,
  VisitorSessionRecord,
  WebhookJob,
} from '../../services/ports.ts';

export type MessageRow = Prisma.MessageGetPayload<object> & { operatorName?: string | null; operatorDisplayName?: string | null; avatarUrl?: string | null };
/**
 * The columns a raw statement returns for a message (`RETURNING`, histories): all but the inbox
 * search's words and site, which a trigger fills and only the search reads — the words alone are
 * as long as the text, in every message of every history the message path reads.
 */
const messageColumns = (alias: string) =>
  Prisma.raw(
    ['id', 'createdAt', 'conversationId', 'seq', 'author', 'text', 'clientMessageId', 'operatorId', 'category', 'confidence', 'classificationSource',
      'templateKey', 'sources', 'markedWrongAt', 'markedWrongBy', 'deliveredAt', 'inReplyTo', 'decideLeaseUntil'].map((column) => `${alias}"${column}"`).join(', '),
  );
const MESSAGE_COLUMNS = messageColumns('');
const M_MESSAGE_COLUMNS = messageColumns('m.');

/**
 * A message's seq is the conversation's highest + 1, taken in the statement that inserts it; the
 * unique (conversationId, seq) index refuses the loser of a race, which runs again after a random
 * pause that grows with each attempt (so racers fall out of step) — at most this many times. A
 * race needs several messages of one conversation in the same milliseconds (a visitor, the bot,
 * an operator).
 */
const MAX_SEQ_ATTEMPTS = 12;
const seqRetryPause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));

const AUTHOR_TO_DB = { visitor: 'VISITOR', bot: 'BOT', operator: 'OPERATOR', system: 'SYSTEM' } as const;
const AUTHOR_FROM_DB = { VISITOR: 'visitor', BOT: 'bot', OPERATOR: 'operator', SYSTEM: 'system' } as const;

export function toMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    author: AUTHOR_FROM_DB[row.author],
    text: row.text,
    clientMessageId: row.clientMessageId,
    createdAt: row.createdAt.toISOString(),
    category: row.category,
    confidence: row.confidence,
    classificationSource: row.classificationSource,
    templateKey: row.templateKey,
    operatorName: row.operatorName ?? null,
    ...(row.operatorId ? { operatorDisplayName: row.operatorDisplayName ?? null, avatarUrl: row.avatarUrl ?? null } : {}),
    sources: (row.sources as KnowledgeSource[] | null) ?? null,
    markedWrong: row.markedWrongAt != null,
  };
}

const conversationInclude = { visitor: { select: { externalId: true, name: true } } } as const;
type ConversationRow = Prisma.ConversationGetPayload<{ include: typeof conversationInclude }>;

function toConversation(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    siteId: row.siteId,
    visitorId: row.visitorId,
    visitorExternalId: row.visitor.externalId,
    visitorName: row.visitor.name,
    status: row.status,
    priority: row.priority,
    escalationReason: row.escalationReason,
    channel: row.channel,
    platform: row.platform,
    chatId: row.chatId,
    webhookUrl: row.webhookUrl,
    locale: row.locale,
    ownerId: row.ownerId,
    incidentId: row.incidentId,
  };
}

function toReply(row: Prisma.PendingReplyGetPayload<object>): PendingReplyRecord {
  return { ...row, sources: (row.sources as KnowledgeSource[] | null) ?? null };
}

const queueInclude = {
  site: { select: { key: true, name: true } },
  visitor: { select: { externalId: true, name: true, email: true } },
  owner: { select: { name: true } },
  messages: { where: { author: 'VISITOR' }, orderBy: { seq: 'desc' }, take: 1 },
} as const satisfies Prisma.ConversationInclude;
type QueueRow = Prisma.ConversationGetPayload<{ include: typeof queueInclude }>;

function toQueueItem(row: QueueRow): QueueItem {
  const last = row.messages[0];
  return {
    conversationId: row.id,
    createdAt: row.createdAt.toISOString(),
    channel: row.channel,
    siteKey: row.site.key,
    siteName: row.site.name,
    visitorId: row.visitor.externalId,
    visitorName: row.visitor.name,
    visitorEmail: row.visitor.email,
    status: row.status,
    priority: row.priority,
    escalationReason: row.escalationReason,
    escalatedAt: row.escalatedAt?.toISOString() ?? null,
    category: (row.intent as Category | null) ?? null,
    confidence: row.intentConfidence,
    lastMessage: last?.text ?? null,
    ownerId: row.ownerId,
    ownerName: row.owner?.name ?? null,
    incidentId: row.incidentId,
  };
}

const incidentInclude = { site: { select: { key: true } }, _count: { select: { conversations: true } } } as const;
type IncidentRow = Prisma.IncidentGetPayload<{ include: typeof incidentInclude }>;

function toIncident(row: IncidentRow): IncidentDto {
  return {
    id: row.id,
    siteKey: row.site.key,
    kind: 'MASS_OUTAGE',
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    linkedConversations: row._count.conversations,
  };
}

/** What the one-statement delivery returns (JSON columns come back as plain objects). */
interface DeliveredRow {
  message: { id: string; seq: number; createdAt: string } | null;
  conversation: Omit<ConversationRecord, 'visitorExternalId' | 'visitorName'> | null;
  visitor: { externalId: string; name: string | null } | null;
  reply: { text: string; templateKey: string | null; category: string; sources: KnowledgeSource[] | null } | null;
  call: { id: string; status: string; behind: boolean } | null;
  webhookJobId: string | null;
}

/** The bot's last template reply, delivered or still planned, as `row_to_json` writes it. */
interface LastBotRow {
  templateKey: string;
  createdAt: string;
}

function lastBotReply(row: LastBotRow | null): Pick<DecisionContext, 'lastBotTemplateKey' | 'lastBotReplyAt'> {
  return { lastBotTemplateKey: row?.templateKey ?? null, lastBotReplyAt: row ? utc(row.createdAt) : null };
}

/** What the one-statement decision context returns (JSON columns come back as plain objects). */
interface ContextRow {
  conversation: (ConversationRecord & Record<string, unknown>) | null;
  history: JsonMessageRow[] | null;
  lastBot: LastBotRow | null;
}

/** A message row as `row_to_json` writes it. */
type JsonMessageRow = Omit<MessageRow, 'createdAt' | 'markedWrongAt'> & { createdAt: string; markedWrongAt: string | null };

/**
 * "Written by `author`", for the walks back through a conversation that stop at the latest few
 * (history, the bot's last template), as "by none of the other authors". Same rows, but Postgres
 * estimates \`"author" = 'VISITOR'\` at 0.5% of a conversation while Message has no statistics (a
 * new database; autovacuum behind, or off as on the bench machine): finding ten of them then looks
 * like reading the whole conversation, so the plan it kept read every message of the
 * conversation by a bitmap scan and sorted them (the load bench: 108 read for the latest 10, and
 * growing). Estimated as most of the conversation, with statistics or without, the
 * (conversationId, seq) index is walked backwards and stops at the LIMIT. The other kinds are
 * constants of the schema's enum, written into the statement.
 */
function authoredBy(author: AuthorKind): Prisma.Sql {
  const others = Object.values(AuthorKind).filter((kind) => kind !== author);
  return Prisma.raw(`"author" <> ALL('{${others.join(',')}}'::"AuthorKind"[])`);
}

/**
 * The bot's last template in a conversation (delivered or still pending), as the JSON
 * `{templateKey, createdAt}` a decision reads. Each side is its own walk that stops at the first
 * row: the latest bot message by seq (the conversation's (conversationId, seq) index, backwards),
 * not every message of the conversation sorted by time.
 */
function lastBotTemplate(conversation: string | Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT row_to_json(b) FROM (
           SELECT * FROM (
             (SELECT "templateKey", "createdAt" FROM "Message"
              WHERE "conversationId" = ${conversation} AND ${authoredBy('BOT')} AND "templateKey" IS NOT NULL
              ORDER BY "seq" DESC LIMIT 1)
             UNION ALL
             (SELECT "templateKey", "createdAt" FROM "PendingReply"
              WHERE "conversationId" = ${conversation} AND "status" = 'PENDING' AND "templateKey" IS NOT NULL
              ORDER BY "createdAt" DESC LIMIT 1)) u
           ORDER BY "createdAt" DESC LIMIT 1) b)`;
}

function fromJsonMessage(m: JsonMessageRow): StoredMessage {
  return toMessage({ ...m, createdAt: utc(m.createdAt), deliveredAt: null, decideLeaseUntil: null, markedWrongAt: m.markedWrongAt ? utc(m.markedWrongAt) : null });
}

/** A conversation row joined with its visitor's externalId and name, as `row_to_json` writes it. */
function fromJsonConversation(c: ConversationRecord & Record<string, unknown>): ConversationRecord {
  return {
    id: c.id,
    siteId: c.siteId,
    visitorId: c.visitorId,
    visitorExternalId: c.visitorExternalId,
    visitorName: c.visitorName,
    status: c.status,
    priority: c.priority,
    escalationReason: c.escalationReason,
    channel: c.channel,
    platform: c.platform,
    chatId: c.chatId,
    webhookUrl: c.webhookUrl,
    locale: c.locale,
    ownerId: c.ownerId,
    incidentId: c.incidentId,
  };
}

/** What the hot-path append returns. */
interface AppendedRow {
  message: JsonMessageRow | null;
  conversation: (ConversationRecord & Record<string, unknown>) | null;
  history: JsonMessageRow[] | null;
  lastBot: LastBotRow | null;
  /** The intake only: the visitor has a resolved conversation. */
  earlier?: boolean;
}

/**
 * The visitor's latest `historyLimit` messages, oldest first, ending with the one just stored: the
 * statement's snapshot predates its own insert. A batch reads as many earlier ones as its longest
 * asks; each call keeps its own count.
 */
function decisionHistory(earlierRows: JsonMessageRow[] | null, message: StoredMessage, historyLimit: number): StoredMessage[] {
  const earlierCount = Math.max(0, historyLimit - 1);
  const earlier = earlierCount === 0 ? [] : (earlierRows ?? []).slice(-earlierCount).map(fromJsonMessage);
  return [...earlier, message];
}

/** A message from anywhere (`receiveVisitorMessage`), alone or in a batch. */
interface IntakeCall {
  input: IncomingVisitorMessage;
  historyLimit: number;
}
type IntakeOutcome = { message: StoredMessage; duplicate: boolean; context: DecisionContext | null };

/** The message an intake stored and what its decision reads; null when the row has no message. */
function intook(row: AppendedRow, m: IncomingVisitorMessage, historyLimit: number): { message: StoredMessage; context: DecisionContext } | null {
  if (!row.message || !row.conversation) return null;
  const message = fromJsonMessage(row.message);
  // The statement's snapshot shows the conversation as it was: a REST platform's new chat and
  // webhook (`moved`) are the ones now.
  const conversation = fromJsonConversation(row.conversation);
  const current = m.channel === 'REST' ? { ...conversation, platform: m.platform ?? null, chatId: m.chatId ?? null, webhookUrl: m.webhookUrl ?? null } : conversation;
  const history = decisionHistory(row.history, message, historyLimit);
  return { message, context: { conversation: current, message, history, ...lastBotReply(row.lastBot), visitorHadEarlierConversation: row.earlier ?? false } };
}

/** A widget message for its conversation (`appendVisitorMessage`), alone or in a batch. */
interface AppendCall {
  conversationId: string;
  m: { text: string; clientMessageId: string | null };
  historyLimit: number;
}
type AppendOutcome = { message: StoredMessage; duplicate: boolean; context: DecisionContext | null } | null;

/** A stored visitor message and what its decision reads; null when the row has no message. */
function appended(row: AppendedRow, historyLimit: number): { message: StoredMessage; duplicate: false; context: DecisionContext } | null {
  if (!row.message || !row.conversation) return null;
  const message = fromJsonMessage(row.message);
  const history = decisionHistory(row.history, message, historyLimit);
  return { message, duplicate: false, context: { conversation: fromJsonConversation(row.conversation), message, history, ...lastBotReply(row.lastBot) } };
}

/** What the one-statement visitor session returns. */
interface SessionRow {
  conversation: { id: string; status: string } | null;
  messages: JsonMessageRow[] | null;
  incident: { id: string; status: string } | null;
}

/** `row_to_json` writes a timestamp without its zone; Prisma stores UTC. */
function utc(timestamp: string): Date {
  return new Date(/[Zz]|[+-]\d\d:\d\d$/.test(timestamp) ? timestamp : `${timestamp}Z`);
}

/** What the one-statement decision returns. */
interface AppliedRow {
  decided: number;
  before: { id: string; status: string; ownerId: string | null } | null;
  escalated: { status: string; priority: string; escalationReason: string | null } | null;
  cancelled: number;
  planned: number;
}

/** A decision a statement wrote (`decided` > 0), as the service reads it. */
function appliedFrom(row: AppliedRow & DeliveredRow, replyId: string, ids: DeliveryIds, telegram?: TelegramDelivery): AppliedDecision {
  const state = row.escalated ?? row.before;
  return {
    decided: true,
    status: (state?.status ?? 'RESOLVED') as ConversationRecord['status'],
    priority: (row.escalated?.priority ?? null) as Priority | null,
    escalationReason: row.escalated?.escalationReason ?? null,
    escalated: row.escalated !== null,
    cancelled: row.cancelled,
    replyId: row.planned > 0 ? replyId : null,
    delivered: toDelivered(row, ids, telegram),
  };
}

/** A unique violation of the per-conversation seq (a lost race), not of the client's message id. */
function isSeqViolation(error: unknown): boolean {
  return driverError(error)?.constraint === 'Message_conversationId_seq_key';
}

export function isUniqueViolation(error: unknown): boolean {
  // Statements sent straight to the driver (statements.ts) fail with its DatabaseError.
  const fromDriver = driverError(error);
  if (fromDriver) return fromDriver.code === '23505';
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === 'P2002') return true;
  // Raw queries report the database's own code: 23505 = unique_violation.
  const meta = error.meta as { code?: string; driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } } | undefined;
  return error.code === 'P2010' && (meta?.code === '23505' || meta?.driverAdapterError?.cause?.originalCode === '23505' || meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation');
}

export const siteFields = {
  id: true,
  key: true,
  name: true,
  allowedOrigins: true,
  locale: true,
  identitySecret: true,
  requireVerifiedIdentity: true,
  allowOriginless: true,
  enabled: true,
  widgetSettings: true,
  createdAt: true,
} as const satisfies Prisma.SiteSelect;
type SiteRow = Prisma.SiteGetPayload<{ select: typeof siteFields }>;

export function toSite(row: SiteRow): SiteRecord {
  const { widgetSettings, ...site } = row;
  return { ...site, settings: readWidgetSettings(widgetSettings) };
}

/** An operator with its sites, oldest site first (the default site of its console events). */
const operatorInclude = {
  memberships: { select: { role: true, site: { select: { id: true, key: true, name: true } } }, orderBy: { site: { createdAt: 'asc' } } },
} as const satisfies Prisma.OperatorInclude;
type OperatorRow = Prisma.OperatorGetPayload<{ include: typeof operatorInclude }>;

function toOperator(row: OperatorRow): OperatorRecord {
  const { memberships, ...operator } = row;
  return {
    id: operator.id,
    email: operator.email,
    name: operator.name,
    role: operator.role,
    displayName: operator.displayName,
    avatarUrl: operator.avatarUrl,
    passwordHash: operator.passwordHash,
    tokenVersion: operator.tokenVersion,
    availability: operator.availability,
    maxConversations: operator.maxConversations,
    memberships: memberships.map((m): MembershipRecord => ({ siteId: m.site.id, siteKey: m.site.key, siteName: m.site.name, role: m.role })),
  };
}

/** The ids a delivery statement gives the rows it may write. */
interface DeliveryIds {
  messageId: string;
  callId: string;
  hookId: string;
}
const newDeliveryIds = (): DeliveryIds => ({ messageId: randomUUID(), callId: randomUUID(), hookId: randomUUID() });

/**
 * The bot message a reply becomes, and the outbox rows its channel needs, as CTEs that follow
 * `dr` (the reply: conversationId, text, templateKey, category, sources, inReplyTo) and `dc` (its
 * conversation, still the bot's): the message with the conversation's next seq (`dm`); for a
 * Telegram conversation its sendMessage call (checked against a blocked chat, and behind any call
 * to the same chat still pending, so a chat's messages keep their order); for a conversation with a
 * webhook its job (payload built when sent). Shared by the delivery of a planned reply and a
 * decision whose reply is due at once: either way the message and its outbox rows are one
 * statement, so no crash between them can lose a reply's call or job.
 */
function botMessageCtes(ids: DeliveryIds, at: Date, telegram?: TelegramDelivery, webhook?: WebhookDeliveryLease): Prisma.Sql {
  return Prisma.sql`, dm AS (
        INSERT INTO "Message" ("id", "createdAt", "conversationId", "seq", "author", "text", "templateKey", "category", "sources", "deliveredAt", "inReplyTo")
        SELECT ${ids.messageId}, ${at}, dc."id", COALESCE((SELECT max(x."seq") FROM "Message" x WHERE x."conversationId" = dc."id"), 0) + 1,
               'BOT'::"AuthorKind", dr."text", dr."templateKey", dr."category", dr."sources", ${at}, dr."inReplyTo"
        FROM dr JOIN dc ON dc."id" = dr."conversationId"
        RETURNING "id", "seq", "createdAt"
      ), behind AS (
        SELECT EXISTS (SELECT 1 FROM "TelegramCall" t, dc WHERE t."status" = 'PENDING' AND t."siteId" = dc."siteId" AND t."payload"->>'chat_id' = dc."chatId") AS "behind"
      ), call AS (
        INSERT INTO "TelegramCall" ("id", "createdAt", "siteId", "conversationId", "key", "method", "payload", "status", "nextAttemptAt", "lastError")
        SELECT ${ids.callId}, ${at}, dc."siteId", dc."id", ${`msg:${ids.messageId}`}, 'sendMessage', jsonb_build_object('chat_id', dc."chatId", 'text', dr."text"),
               (CASE WHEN dc."deliveryBlockedAt" IS NOT NULL THEN 'FAILED' ELSE 'PENDING' END)::"WebhookStatus",
               CASE WHEN b."behind" THEN ${at}::timestamp(3) ELSE ${telegram?.leaseUntil ?? at}::timestamp(3) END,
               CASE WHEN dc."deliveryBlockedAt" IS NOT NULL THEN ${BLOCKED_REASON} END
        FROM dr JOIN dc ON dc."id" = dr."conversationId" CROSS JOIN behind b
        WHERE ${telegram !== undefined} AND dc."channel" = 'TELEGRAM' AND dc."chatId" IS NOT NULL AND EXISTS (SELECT 1 FROM dm)
        ON CONFLICT ("key") DO NOTHING
        RETURNING "id", "status"::text AS "status"
      ), hook AS (
        INSERT INTO "WebhookDelivery" ("id", "createdAt", "messageId", "url", "payload", "nextAttemptAt")
        SELECT ${ids.hookId}, ${at}, dm."id", dc."webhookUrl", NULL, ${webhook?.leaseUntil ?? at}
        FROM dm CROSS JOIN dc
        WHERE ${webhook !== undefined} AND dc."webhookUrl" IS NOT NULL
        RETURNING "id"
      )`;
}

/** What `botMessageCtes` wrote, as the statement's columns (read by `toDelivered`). */
const botMessageColumns = Prisma.sql`(SELECT "id" FROM hook) AS "webhookJobId",
             (SELECT json_build_object('id', call."id", 'status', call."status", 'behind', (SELECT "behind" FROM behind)) FROM call) AS "call",
             (SELECT row_to_json(dm) FROM dm) AS "message",
             (SELECT row_to_json(dc) FROM dc) AS "conversation",
             (SELECT json_build_object('externalId', v."externalId", 'name', v."name") FROM "Visitor" v JOIN dc ON v."id" = dc."visitorId") AS "visitor",
             (SELECT row_to_json(dr) FROM dr) AS "reply"`;

/** The delivered reply those columns describe; null when no message was written. */
function toDelivered(row: DeliveredRow, ids: DeliveryIds, telegram?: TelegramDelivery): DeliveredReply | null {
  if (!row.message || !row.conversation || !row.reply) return null;
  const c = row.conversation;
  const conversation = fromJsonConversation({ ...c, visitorExternalId: row.visitor?.externalId ?? '', visitorName: row.visitor?.name ?? null });
  const message: StoredMessage = {
    id: row.message.id,
    conversationId: c.id,
    seq: row.message.seq,
    author: 'bot',
    text: row.reply.text,
    clientMessageId: null,
    createdAt: new Date(row.message.createdAt).toISOString(),
    category: row.reply.category,
    confidence: null,
    classificationSource: null,
    templateKey: row.reply.templateKey,
    operatorName: null,
    sources: row.reply.sources,
    markedWrong: false,
  };
  const hooked = row.webhookJobId ? { webhookJobId: row.webhookJobId } : {};
  if (!telegram || !row.call) return { message, conversation, ...hooked };
  const call = { key: `msg:${ids.messageId}`, siteId: conversation.siteId, conversationId: conversation.id, method: 'sendMessage', payload: { chat_id: conversation.chatId, text: message.text } };
  return { message, conversation, ...hooked, telegramCall: { job: { ...call, id: row.call.id, attempts: 0 }, attemptNow: row.call.status === 'PENDING' && !row.call.behind } };
}

/**
 * Visitor messages written together (statement-batches.ts), widget messages to their known
 * conversation and first / REST / Telegram messages each. Measured with 8 concurrent callers on
 * this 2-core machine, a batch of 8 widget messages cost Postgres 0.39–0.51 ms of CPU per message
 * against 0.74–0.95 ms for one statement each. Two statements of a kind in flight: the messages
 * that arrive meanwhile (at most the store's concurrency, 32: server.ts) form the next batch.
 * Decisions are written together likewise (`decideMany`), at most the decide concurrency at once.
 */
const STATEMENTS_IN_FLIGHT = 2;
const BATCH_SIZE = 32;

export class PrismaStore implements ChatStore {
  private readonly intakes = new StatementBatches<IntakeCall, IntakeOutcome>(
    { key: (call) => `${call.input.siteId}\n${call.input.visitorExternalId}`, one: (call) => this.receiveAlone(call), many: (calls) => this.intakeMany(calls), sharedFailure: isDatabaseUnavailable },
    STATEMENTS_IN_FLIGHT,
    BATCH_SIZE,
  );
  private readonly appends = new StatementBatches<AppendCall, AppendOutcome>(
    { key: (call) => call.conversationId, one: (call) => this.appendAlone(call), many: (calls) => this.appendMany(calls), sharedFailure: isDatabaseUnavailable },
    STATEMENTS_IN_FLIGHT,
    BATCH_SIZE,
  );
  private readonly decisions = new StatementBatches<DecisionToApply, AppliedDecision>(
    { key: (d) => d.conversationId, one: (d) => this.decideAlone(d), many: (ds) => this.decideMany(ds), sharedFailure: isDatabaseUnavailable },
    STATEMENTS_IN_FLIGHT,
    BATCH_SIZE,
  );

  constructor(
    private readonly db: PrismaClient,
    /** The hand-written statements' runner (statements.ts); Prisma's own when none is given. */
    private readonly sql: Statements = prismaStatements(db),
  ) {}

  async ping(): Promise<void> {
    await this.db.$queryRaw`SELECT 1`;
  }

  async findSiteByKey(key: string): Promise<SiteRecord | null> {
    const row = await this.db.site.findUnique({ where: { key }, select: siteFields });
    return row ? toSite(row) : null;
  }

  async findSiteById(id: string): Promise<SiteRecord | null> {
    const row = await this.db.site.findUnique({ where: { id }, select: siteFields });
    return row ? toSite(row) : null;
  }

  async upsertSite(site: NewSite): Promise<SiteRecord> {
    const { settings, ...fields } = site;
    const data = { ...fields, ...(settings ? { widgetSettings: settings as unknown as Prisma.InputJsonObject } : {}) };
    return toSite(
      await this.db.site.upsert({
        where: { key: site.key },
        create: data,
        update: { allowedOrigins: site.allowedOrigins, ...(settings ? { widgetSettings: data.widgetSettings } : {}), ...(site.enabled === undefined ? {} : { enabled: site.enabled }) },
        select: siteFields,
      }),
    );
  }

  /**
   * A visitor message from anywhere in ONE statement (a CTE): the visitor is created if new, their
   * open conversation is found or opened, the message takes the next seq. One round trip and no
   * interactive transaction on the hot path. The database keeps one open conversation per visitor
   * (a partial unique index) and one message per seq: when two messages race for either, the
   * loser fails on the index (or finds nothing in its snapshot) and runs again, seeing the
   * winner's. A REST platform's latest X-Chat-ID / X-Webhook-URL replace the conversation's; a
   * Telegram sender's name is the visitor's from each new conversation on.
   */
  async receiveVisitorMessage(input: IncomingVisitorMessage, historyLimit = 1): Promise<IntakeOutcome> {
    return this.intakes.run({ input, historyLimit });
  }

  /** One message in its own statement (`intake`), run again after a lost race. */
  private async receiveAlone({ input, historyLimit }: IntakeCall): Promise<IntakeOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        const received = await this.intake(input, historyLimit);
        if (received) return { ...received, duplicate: false };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // A retry of a stored message (same client id): the stored one is the answer. (A lost
        // race for the seq only needs another attempt.)
        const existing = input.clientMessageId && !isSeqViolation(error) ? await this.findVisitorMessage(input.siteId, input.visitorExternalId, input.clientMessageId) : null;
        if (existing) return { message: toMessage(existing), duplicate: true, context: null };
      }
      if (attempt >= MAX_SEQ_ATTEMPTS) throw new Error('could not store a visitor message: its conversation kept changing');
      await seqRetryPause(attempt);
    }
  }

  /**
   * The statement behind `receiveVisitorMessage`. Like `appendVisitorOnce` it returns with the
   * message what its decision reads — the conversation (found or just opened), the visitor's
   * earlier messages, the bot's last template — so a REST or Telegram message needs no second read.
   */
  private async intake(m: IncomingVisitorMessage, historyLimit: number): Promise<{ message: StoredMessage; context: DecisionContext } | null> {
    const now = new Date();
    const rest = m.channel === 'REST';
    const [row] = await this.sql.rows<AppendedRow>(Prisma.sql`
      WITH ins AS (
        INSERT INTO "Visitor" ("id", "createdAt", "siteId", "externalId", "name") VALUES (${randomUUID()}, ${now}, ${m.siteId}, ${m.visitorExternalId}, ${m.visitorName ?? null})
        ON CONFLICT ("siteId", "externalId") DO NOTHING
        RETURNING "id", "name"
      ), v AS (
        SELECT "id", "name" FROM ins UNION ALL SELECT "id", "name" FROM "Visitor" WHERE "siteId" = ${m.siteId} AND "externalId" = ${m.visitorExternalId}
      ), open AS (
        SELECT * FROM "Conversation" WHERE "visitorId" = (SELECT "id" FROM v LIMIT 1) AND "status" <> 'RESOLVED'
      ), renamed AS (
        UPDATE "Visitor" SET "name" = ${m.visitorName ?? null}
        WHERE ${m.visitorName ?? null}::text IS NOT NULL AND "id" = (SELECT "id" FROM v LIMIT 1) AND NOT EXISTS (SELECT 1 FROM open)
          AND "name" IS DISTINCT FROM ${m.visitorName ?? null}::text
      ), moved AS (
        UPDATE "Conversation" SET "platform" = ${m.platform ?? null}, "chatId" = ${m.chatId ?? null}, "webhookUrl" = ${m.webhookUrl ?? null}, "updatedAt" = ${now}
        WHERE ${rest} AND "id" IN (SELECT "id" FROM open)
          AND ("platform", "chatId", "webhookUrl") IS DISTINCT FROM (${m.platform ?? null}::text, ${m.chatId ?? null}::text, ${m.webhookUrl ?? null}::text)
      ), created AS (
        INSERT INTO "Conversation" ("id", "createdAt", "updatedAt", "siteId", "visitorId", "channel", "locale", "platform", "chatId", "webhookUrl")
        SELECT ${randomUUID()}, ${now}, ${now}, ${m.siteId}, v."id", ${m.channel}::"Channel", ${m.locale ?? null}, ${m.platform ?? null}, ${m.chatId ?? null}, ${m.webhookUrl ?? null}
        FROM (SELECT "id" FROM v LIMIT 1) v
        WHERE NOT EXISTS (SELECT 1 FROM open)
        RETURNING *
      ), target AS (
        SELECT open."id", COALESCE((SELECT max(x."seq") FROM "Message" x WHERE x."conversationId" = open."id"), 0) + 1 AS "seq" FROM open UNION ALL SELECT "id", 1 FROM created
      ), msg AS (
        INSERT INTO "Message" ("id", "createdAt", "conversationId", "seq", "author", "text", "clientMessageId")
        SELECT ${randomUUID()}, ${now}, target."id", target."seq", 'VISITOR'::"AuthorKind", ${m.text}, ${m.clientMessageId}
        FROM target
        RETURNING ${MESSAGE_COLUMNS}
      )
      SELECT
        (SELECT row_to_json(msg) FROM msg) AS "message",
        (SELECT row_to_json(x) FROM (
           SELECT t.*, ${m.visitorExternalId}::text AS "visitorExternalId",
                  COALESCE(CASE WHEN NOT EXISTS (SELECT 1 FROM open) THEN ${m.visitorName ?? null}::text END, (SELECT "name" FROM v LIMIT 1)) AS "visitorName"
           FROM (SELECT * FROM open UNION ALL SELECT * FROM created) t LIMIT 1) x) AS "conversation",
        (SELECT json_agg(h ORDER BY h."seq") FROM (
           SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "conversationId" = (SELECT "id" FROM open) AND ${authoredBy('VISITOR')}
           ORDER BY "seq" DESC LIMIT ${Math.max(0, historyLimit - 1)}) h) AS "history",
        ${lastBotTemplate(Prisma.sql`(SELECT "id" FROM open)`)} AS "lastBot",
        -- A returning visitor is not greeted as a stranger (only a new conversation asks).
        EXISTS (SELECT 1 FROM "Conversation" p WHERE p."visitorId" = (SELECT "id" FROM v LIMIT 1) AND p."status" = 'RESOLVED') AS "earlier"`);
    return row ? intook(row, m, historyLimit) : null;
  }

  /**
   * Messages of different visitors in ONE statement: what `intake` does for one, row by row (a
   * visitor's calls never share a batch). A row the indexes refuse — a client id already stored,
   * a seq or a new visitor or conversation another statement took first — is skipped (ON CONFLICT
   * DO NOTHING), not fatal to the others, and takes the path of a message alone, which tells a
   * retry from a race. Rows are written in key order, so two servers' batches cannot deadlock.
   */
  private async intakeMany(calls: IntakeCall[]): Promise<IntakeOutcome[]> {
    const now = new Date();
    const input = calls.map(({ input: m }, ord) => ({
      ord,
      messageId: randomUUID(),
      visitorId: randomUUID(),
      conversationId: randomUUID(),
      siteId: m.siteId,
      externalId: m.visitorExternalId,
      name: m.visitorName ?? null,
      channel: m.channel,
      locale: m.locale ?? null,
      platform: m.platform ?? null,
      chatId: m.chatId ?? null,
      webhookUrl: m.webhookUrl ?? null,
      rest: m.channel === 'REST',
      text: m.text,
      clientMessageId: m.clientMessageId,
    }));
    const historyLimit = Math.max(...calls.map((call) => call.historyLimit));
    const rows = await this.sql.rows<AppendedRow & { ord: number }>(Prisma.sql`
      WITH input AS (
        SELECT * FROM json_to_recordset(${JSON.stringify(input)}::json) AS i(
          "ord" int, "messageId" text, "visitorId" text, "conversationId" text, "siteId" text, "externalId" text, "name" text,
          "channel" text, "locale" text, "platform" text, "chatId" text, "webhookUrl" text, "rest" boolean, "text" text, "clientMessageId" text)
      ), ins AS (
        INSERT INTO "Visitor" ("id", "createdAt", "siteId", "externalId", "name")
        SELECT i."visitorId", ${now}, i."siteId", i."externalId", i."name" FROM input i ORDER BY i."siteId", i."externalId"
        ON CONFLICT ("siteId", "externalId") DO NOTHING
        RETURNING "id", "name"
      ), v AS (
        SELECT i."ord", COALESCE(ins."id", old."id") AS "id", COALESCE(ins."name", old."name") AS "name"
        FROM input i
        LEFT JOIN ins ON ins."id" = i."visitorId"
        -- By its key, row by row (the LIMIT keeps the lookup a subquery of its row), as \`open\` below.
        LEFT JOIN LATERAL (
          SELECT "id", "name" FROM "Visitor" x WHERE x."siteId" = i."siteId" AND x."externalId" = i."externalId" LIMIT 1) old ON true
      ), open AS (
        -- Looked up row by row, by key (a visitor has at most one open conversation: the LIMIT only
        -- keeps the lookup a subquery of its row). As a join, the plan Postgres kept from when the
        -- table was small hashed the batch against a scan of every conversation, and a conversation
        -- leaves a dead version at most messages (its intent is indexed: no HOT update), so that
        -- scan grew with every message until a vacuum.
        SELECT v."ord", c.* FROM v CROSS JOIN LATERAL (
          SELECT * FROM "Conversation" c WHERE c."visitorId" = v."id" AND c."status" <> 'RESOLVED' LIMIT 1) c
      ), renamed AS (
        UPDATE "Visitor" x SET "name" = i."name"
        FROM input i JOIN v ON v."ord" = i."ord"
        WHERE i."name" IS NOT NULL AND x."id" = v."id" AND NOT EXISTS (SELECT 1 FROM open WHERE open."ord" = i."ord")
          AND x."name" IS DISTINCT FROM i."name"
      ), moved AS (
        -- Which chats moved is read from \`open\` (the rows as this statement found them), so when
        -- none did, as at most REST calls, the update has no rows to join and reads no conversation.
        -- Checked against the updated row, the join read every conversation for every batch.
        UPDATE "Conversation" c SET "platform" = i."platform", "chatId" = i."chatId", "webhookUrl" = i."webhookUrl", "updatedAt" = ${now}
        FROM input i JOIN open ON open."ord" = i."ord"
        WHERE i."rest" AND c."id" = open."id"
          AND (open."platform", open."chatId", open."webhookUrl") IS DISTINCT FROM (i."platform", i."chatId", i."webhookUrl")
      ), created AS (
        INSERT INTO "Conversation" ("id", "createdAt", "updatedAt", "siteId", "visitorId", "channel", "locale", "platform", "chatId", "webhookUrl")
        SELECT i."conversationId", ${now}, ${now}, i."siteId", v."id", i."channel"::"Channel", i."locale", i."platform", i."chatId", i."webhookUrl"
        FROM input i JOIN v ON v."ord" = i."ord"
        WHERE v."id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM open WHERE open."ord" = i."ord")
        ORDER BY v."id"
        ON CONFLICT DO NOTHING
        RETURNING *
      ), target AS (
        SELECT open."ord", open."id", COALESCE((SELECT max(x."seq") FROM "Message" x WHERE x."conversationId" = open."id"), 0) + 1 AS "seq" FROM open
        UNION ALL
        SELECT i."ord", created."id", 1 FROM created JOIN input i ON i."conversationId" = created."id"
      ), msg AS (
        INSERT INTO "Message" ("id", "createdAt", "conversationId", "seq", "author", "text", "clientMessageId")
        SELECT i."messageId", ${now}, t."id", t."seq", 'VISITOR'::"AuthorKind", i."text", i."clientMessageId"
        FROM target t JOIN input i ON i."ord" = t."ord"
        ORDER BY t."id"
        ON CONFLICT DO NOTHING
        RETURNING ${MESSAGE_COLUMNS}
      )
      SELECT i."ord",
        (SELECT row_to_json(msg) FROM msg WHERE msg."id" = i."messageId") AS "message",
        COALESCE(
          (SELECT row_to_json(x) FROM (
             SELECT o.*, i."externalId" AS "visitorExternalId", (SELECT v."name" FROM v WHERE v."ord" = i."ord") AS "visitorName"
             FROM open o WHERE o."ord" = i."ord" LIMIT 1) x),
          (SELECT row_to_json(x) FROM (
             SELECT c.*, i."externalId" AS "visitorExternalId", COALESCE(i."name", (SELECT v."name" FROM v WHERE v."ord" = i."ord")) AS "visitorName"
             FROM created c WHERE c."id" = i."conversationId") x)) AS "conversation",
        (SELECT json_agg(h ORDER BY h."seq") FROM (
           SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "conversationId" = (SELECT o."id" FROM open o WHERE o."ord" = i."ord" LIMIT 1) AND ${authoredBy('VISITOR')}
           ORDER BY "seq" DESC LIMIT ${Math.max(0, historyLimit - 1)}) h) AS "history",
        ${lastBotTemplate(Prisma.sql`(SELECT o."id" FROM open o WHERE o."ord" = i."ord" LIMIT 1)`)} AS "lastBot",
        EXISTS (SELECT 1 FROM "Conversation" p WHERE p."visitorId" = (SELECT v."id" FROM v WHERE v."ord" = i."ord") AND p."status" = 'RESOLVED') AS "earlier"
      FROM input i`);
    const byOrd = new Map(rows.map((row) => [row.ord, row]));
    const outcomes: IntakeOutcome[] = [];
    // One refused row after another, not all at once: a batch of retries must not take the pool.
    for (const [ord, call] of calls.entries()) {
      const row = byOrd.get(ord);
      const received = row ? intook(row, call.input, call.historyLimit) : null;
      outcomes.push(received ? { ...received, duplicate: false } : await this.receiveAlone(call));
    }
    return outcomes;
  }

  private async findVisitorMessage(siteId: string, visitorExternalId: string, clientMessageId: string): Promise<MessageRow | null> {
    const rows = await this.sql.rows<MessageRow>(Prisma.sql`
      SELECT ${M_MESSAGE_COLUMNS} FROM "Message" m
      JOIN "Conversation" c ON c."id" = m."conversationId"
      JOIN "Visitor" v ON v."id" = c."visitorId"
      WHERE v."siteId" = ${siteId} AND v."externalId" = ${visitorExternalId} AND m."clientMessageId" = ${clientMessageId}
      ORDER BY m."createdAt" DESC LIMIT 1`);
    return rows[0] ?? null;
  }

  async saveVisitorProfile(siteId: string, externalId: string, profile: VisitorProfile): Promise<void> {
    await this.ensureVisitor(siteId, externalId, profile);
  }

  private async ensureVisitor(siteId: string, externalId: string, profile: VisitorProfile = {}) {
    const where = { siteId_externalId: { siteId, externalId } };
    try {
      return await this.db.visitor.upsert({ where, create: { siteId, externalId, ...profile }, update: profile });
    } catch (error) {
      // Created concurrently: the row is there now.
      if (isUniqueViolation(error)) return this.db.visitor.update({ where, data: profile });
      throw error;
    }
  }

  /**
   * What a (re)connecting widget needs, in ONE statement: the visitor's latest conversation
   * (its id and status), its messages after `afterSeq` when the widget names that conversation
   * (all of them otherwise), and the site's open incident.
   */
  async visitorSession(siteId: string, visitorExternalId: string, known: { conversationId: string | null; afterSeq: number }, limit: number): Promise<VisitorSessionRecord> {
    const [row] = await this.sql.rows<SessionRow>(Prisma.sql`
      WITH conv AS (
        SELECT c."id", c."status"::text AS "status" FROM "Conversation" c JOIN "Visitor" v ON v."id" = c."visitorId"
        WHERE v."siteId" = ${siteId} AND v."externalId" = ${visitorExternalId}
        ORDER BY c."createdAt" DESC LIMIT 1
      )
      SELECT
        (SELECT row_to_json(conv) FROM conv) AS "conversation",
        (SELECT json_agg(h ORDER BY h."seq") FROM (
           SELECT ${M_MESSAGE_COLUMNS}, o."name" AS "operatorName", o."displayName" AS "operatorDisplayName", o."avatarUrl" FROM "Message" m LEFT JOIN "Operator" o ON o."id" = m."operatorId"
           WHERE m."conversationId" = (SELECT "id" FROM conv)
             AND m."seq" > (SELECT CASE WHEN "id" = ${known.conversationId} THEN ${known.afterSeq}::int ELSE 0 END FROM conv)
           ORDER BY m."seq" LIMIT ${limit}) h) AS "messages",
        (SELECT row_to_json(i) FROM (
           SELECT "id", "status"::text AS "status" FROM "Incident" WHERE "siteId" = ${siteId} AND "status" = 'OPEN'
           ORDER BY "createdAt" DESC LIMIT 1) i) AS "incident"`);
    return {
      conversation: row?.conversation ? { id: row.conversation.id, status: row.conversation.status as ConversationRecord['status'] } : null,
      messages: (row?.messages ?? []).map(fromJsonMessage),
      incident: row?.incident ? { id: row.incident.id, status: 'OPEN' } : null,
    };
  }

  async findCurrentConversation(siteId: string, visitorExternalId: string): Promise<ConversationRecord | null> {
    const row = await this.db.conversation.findFirst({
      where: { siteId, visitor: { externalId: visitorExternalId } },
      orderBy: { createdAt: 'desc' },
      include: conversationInclude,
    });
    return row ? toConversation(row) : null;
  }

  async getConversation(id: string): Promise<ConversationRecord | null> {
    const row = await this.db.conversation.findUnique({ where: { id }, include: conversationInclude });
    return row ? toConversation(row) : null;
  }

  async appendMessage(conversationId: string, m: Parameters<ChatStore['appendMessage']>[1]) {
    for (let attempt = 1; ; attempt++) {
      try {
        const row = await this.insertMessage(conversationId, m);
        if (!row) return null;
        return { message: toMessage(row), duplicate: false };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // A retry of a stored message (same client id): the stored one is the answer.
        const existing = m.clientMessageId
          ? await this.db.message.findUnique({ where: { conversationId_clientMessageId: { conversationId, clientMessageId: m.clientMessageId } } })
          : null;
        if (existing) return { message: toMessage(existing), duplicate: true };
        if (attempt >= MAX_SEQ_ATTEMPTS) throw error; // the seq kept being taken
        await seqRetryPause(attempt);
      }
    }
  }

  /**
   * The hot path of a widget message in a known conversation, ONE statement: takes the next seq,
   * stores the message, and returns with it what its decision will read (the conversation, the
   * visitor's earlier messages, the bot's last template) — so deciding needs no read of its own.
   * One row is written. Two messages racing for one seq: the loser runs again (the seq index).
   * Null when the conversation is resolved (or gone); a stored client id comes back as duplicate.
   */
  async appendVisitorMessage(conversationId: string, m: { text: string; clientMessageId: string | null }, historyLimit: number): Promise<AppendOutcome> {
    return this.appends.run({ conversationId, m, historyLimit });
  }

  /** One visitor message in its own statement, run again after a lost seq race. */
  private async appendAlone({ conversationId, m, historyLimit }: AppendCall): Promise<AppendOutcome> {
    for (let attempt = 1; ; attempt++) {
      const now = new Date();
      try {
        return await this.appendVisitorOnce(conversationId, m, historyLimit, now);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // A retry of a stored message (same client id): the stored one is the answer.
        const existing = m.clientMessageId
          ? await this.db.message.findUnique({ where: { conversationId_clientMessageId: { conversationId, clientMessageId: m.clientMessageId } } })
          : null;
        if (existing) return { message: toMessage(existing), duplicate: true, context: null };
        if (attempt >= MAX_SEQ_ATTEMPTS) throw error;
        await seqRetryPause(attempt);
      }
    }
  }

  /**
   * Visitor messages of different conversations in ONE statement: what `appendVisitorOnce` does
   * for one, row by row. A message the indexes refuse (a client id already stored, a seq another
   * statement took first) is skipped, not fatal to the others (ON CONFLICT DO NOTHING), and then
   * takes the path of a message alone, which tells a retry from a race.
   */
  private async appendMany(calls: AppendCall[]): Promise<AppendOutcome[]> {
    const now = new Date();
    const input = calls.map((call, ord) => ({ ord, id: randomUUID(), conversationId: call.conversationId, text: call.m.text, clientMessageId: call.m.clientMessageId }));
    const historyLimit = Math.max(...calls.map((call) => call.historyLimit));
    const rows = await this.sql.rows<AppendedRow & { ord: number }>(Prisma.sql`
      WITH input AS (
        SELECT * FROM json_to_recordset(${JSON.stringify(input)}::json) AS i("ord" int, "id" text, "conversationId" text, "text" text, "clientMessageId" text)
      ), next AS (
        -- Each conversation by its key, row by row (the LIMIT keeps the lookup a subquery of its row):
        -- as a join, the kept plan hashed the batch against a scan of every conversation.
        SELECT c.* FROM input i CROSS JOIN LATERAL (
          SELECT * FROM "Conversation" c WHERE c."id" = i."conversationId" AND c."status" IN ('BOT', 'WAITING', 'OPERATOR') LIMIT 1) c
      ), ins AS (
        INSERT INTO "Message" ("id", "createdAt", "conversationId", "seq", "author", "text", "clientMessageId")
        SELECT i."id", ${now}, i."conversationId", COALESCE((SELECT max(x."seq") FROM "Message" x WHERE x."conversationId" = i."conversationId"), 0) + 1,
               'VISITOR'::"AuthorKind", i."text", i."clientMessageId"
        FROM input i WHERE EXISTS (SELECT 1 FROM next WHERE next."id" = i."conversationId")
        -- Rows in one order everywhere: two processes' batches waiting on each other's seq entries
        -- (a visitor's tabs on two servers) would deadlock if each took them in its own order.
        ORDER BY i."conversationId"
        ON CONFLICT DO NOTHING
        RETURNING ${MESSAGE_COLUMNS}
      )
      SELECT i."ord",
        (SELECT row_to_json(ins) FROM ins WHERE ins."id" = i."id") AS "message",
        (SELECT row_to_json(x) FROM (
           SELECT next.*, v."externalId" AS "visitorExternalId", v."name" AS "visitorName"
           FROM next JOIN "Visitor" v ON v."id" = next."visitorId" WHERE next."id" = i."conversationId") x) AS "conversation",
        (SELECT json_agg(h ORDER BY h."seq") FROM (
           SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "conversationId" = i."conversationId" AND ${authoredBy('VISITOR')}
           ORDER BY "seq" DESC LIMIT ${Math.max(0, historyLimit - 1)}) h) AS "history",
        ${lastBotTemplate(Prisma.sql`i."conversationId"`)} AS "lastBot"
      FROM input i`);
    const byOrd = new Map(rows.map((row) => [row.ord, row]));
    const outcomes: AppendOutcome[] = [];
    // One refused row after another, not all at once: a batch of retries must not take the pool.
    for (const [ord, call] of calls.entries()) {
      const row = byOrd.get(ord);
      if (!row?.conversation) outcomes.push(null); // resolved or gone
      else outcomes.push(appended(row, call.historyLimit) ?? (await this.appendAlone(call))); // no message: a retry, or a lost race
    }
    return outcomes;
  }

  private async appendVisitorOnce(conversationId: string, m: { text: string; clientMessageId: string | null }, historyLimit: number, now: Date): Promise<{ message: StoredMessage; duplicate: false; context: DecisionContext } | null> {
    const [row] = await this.sql.rows<AppendedRow>(Prisma.sql`
      WITH next AS (
        SELECT * FROM "Conversation" WHERE "id" = ${conversationId} AND "status" IN ('BOT', 'WAITING', 'OPERATOR')
      ), ins AS (
        INSERT INTO "Message" ("id", "createdAt", "conversationId", "seq", "author", "text", "clientMessageId")
        SELECT ${randomUUID()}, ${now}, next."id", COALESCE((SELECT max(x."seq") FROM "Message" x WHERE x."conversationId" = next."id"), 0) + 1,
               'VISITOR'::"AuthorKind", ${m.text}, ${m.clientMessageId}
        FROM next
        RETURNING ${MESSAGE_COLUMNS}
      )
      SELECT
        (SELECT row_to_json(ins) FROM ins) AS "message",
        (SELECT row_to_json(x) FROM (
           SELECT next.*, v."externalId" AS "visitorExternalId", v."name" AS "visitorName"
           FROM next JOIN "Visitor" v ON v."id" = next."visitorId") x) AS "conversation",
        (SELECT json_agg(h ORDER BY h."seq") FROM (
           SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "conversationId" = ${conversationId} AND ${authoredBy('VISITOR')}
           ORDER BY "seq" DESC LIMIT ${Math.max(0, historyLimit - 1)}) h) AS "history",
        ${lastBotTemplate(conversationId)} AS "lastBot"`);
    return row ? appended(row, historyLimit) : null;
  }

  /**
   * Takes the next seq and inserts the message in ONE statement (a CTE): atomic without an
   * interactive transaction, one row written. Two inserts racing for one seq: the unique index
   * refuses the second, which runs again (`appendMessage`).
   * Returns null when `onlyIfOpen` is set and the conversation is resolved (or gone).
   */
  private async insertMessage(conversationId: string, m: Parameters<ChatStore['appendMessage']>[1]): Promise<MessageRow | null> {
    const now = new Date();
    const statuses = m.onlyIfOpen ? ['BOT', 'WAITING', 'OPERATOR'] : ['BOT', 'WAITING', 'OPERATOR', 'RESOLVED'];
    const rows = await this.sql.rows<MessageRow>(Prisma.sql`
      WITH next AS (
        SELECT "id" FROM "Conversation" WHERE "id" = ${conversationId} AND "status"::text = ANY(${statuses})
      )
      INSERT INTO "Message" ("id", "createdAt", "conversationId", "seq", "author", "text", "clientMessageId", "operatorId", "templateKey", "category", "deliveredAt")
      SELECT ${randomUUID()}, ${now}, next."id", COALESCE((SELECT max(x."seq") FROM "Message" x WHERE x."conversationId" = next."id"), 0) + 1,
             ${AUTHOR_TO_DB[m.author]}::"AuthorKind", ${m.text},
             ${m.clientMessageId ?? null}, ${m.operatorId ?? null}, ${m.templateKey ?? null}, ${m.category ?? null}, NULL
      FROM next
      RETURNING ${MESSAGE_COLUMNS}`);
    const row = rows[0];
    if (!row) return null;
    if (m.operatorId) {
      const op = await this.db.operator.findUnique({ where: { id: m.operatorId }, select: { name: true, displayName: true, avatarUrl: true } });
      return { ...row, operatorName: op?.name ?? null, operatorDisplayName: op?.displayName ?? null, avatarUrl: op?.avatarUrl ?? null };
    }
    return row;
  }

  async messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    const rows = await this.db.message.findMany({
      where: { conversationId, seq: { gt: afterSeq } },
      orderBy: { seq: 'asc' },
      take: limit,
    });
    return this.withOperatorNames(rows);
  }

  private async withOperatorNames(rows: MessageRow[]): Promise<StoredMessage[]> {
    const ids = [...new Set(rows.map((r) => r.operatorId).filter((x): x is string => !!x))];
    if (ids.length === 0) return rows.map(toMessage);
    const ops = await this.db.operator.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, displayName: true, avatarUrl: true } });
    const byId = new Map(ops.map((o) => [o.id, o]));
    return rows.map((r) => {
      const op = r.operatorId ? byId.get(r.operatorId) : undefined;
      return toMessage({ ...r, operatorName: op?.name ?? null, operatorDisplayName: op?.displayName ?? null, avatarUrl: op?.avatarUrl ?? null });
    });
  }

  async waitingConversations(siteId: string): Promise<WaitingConversation[]> {
    const rows = await this.db.conversation.findMany({
      where: { siteId, status: 'WAITING', ownerId: null },
      select: { id: true, priority: true, escalatedAt: true, createdAt: true },
    });
    return rows.map((r) => ({ conversationId: r.id, priority: r.priority, escalatedAt: r.escalatedAt ?? r.createdAt }));
  }

  async recentFirstResponses(siteId: string, since: Date, limit: number): Promise<number[]> {
    const rows = await this.db.$queryRaw<{ ms: number }[]>`
      SELECT (EXTRACT(EPOCH FROM (f."at" - c."escalatedAt")) * 1000)::float8 AS "ms"
      FROM "Conversation" c
      JOIN LATERAL (
        SELECT min(m."createdAt") AS "at" FROM "Message" m
        WHERE m."conversationId" = c."id" AND m."author" = 'OPERATOR' AND m."createdAt" >= c."escalatedAt"
      ) f ON f."at" IS NOT NULL
      WHERE c."siteId" = ${siteId} AND c."escalatedAt" >= ${since}
      ORDER BY c."escalatedAt" DESC LIMIT ${limit}`;
    return rows.map((r) => Number(r.ms));
  }

  async updateOperatorProfile(id: string, patch: { displayName?: string | null; avatarUrl?: string | null }): Promise<OperatorRecord | null> {
    const { count } = await this.db.operator.updateMany({ where: { id }, data: patch });
    return count === 1 ? this.getOperator(id) : null;
  }

  async visitorHadEarlierConversation(conversationId: string): Promise<boolean> {
    const rows = await this.sql.rows<{ earlier: boolean }>(Prisma.sql`
      SELECT EXISTS (
        SELECT 1 FROM "Conversation" c JOIN "Conversation" p ON p."visitorId" = c."visitorId" AND p."id" <> c."id" AND p."createdAt" <= c."createdAt"
        WHERE c."id" = ${conversationId}) AS "earlier"`);
    return rows[0]?.earlier ?? false;
  }

  async recentVisitorMessages(conversationId: string, limit: number): Promise<StoredMessage[]> {
    const rows = await this.db.message.findMany({
      where: { conversationId, author: 'VISITOR' },
      orderBy: { seq: 'desc' },
      take: limit,
    });
    return rows.reverse().map(toMessage);
  }

  /**
   * Leases undecided visitor messages older than `staleBefore` to this process until
   * `leaseUntil` (SKIP LOCKED: two sweeping processes never take the same rows). Oldest first,
   * so a conversation's messages come back in sequence order.
   */
  async claimUndecided(now: Date, staleBefore: Date, leaseUntil: Date, limit: number): Promise<UndecidedMessage[]> {
    return this.db.$queryRaw<UndecidedMessage[]>`
      UPDATE "Message" m SET "decideLeaseUntil" = ${leaseUntil}
      FROM (
        SELECT x."id" FROM "Message" x JOIN "Conversation" c ON c."id" = x."conversationId"
        WHERE x."category" IS NULL AND x."author" = 'VISITOR' AND x."createdAt" < ${staleBefore}
          AND (x."decideLeaseUntil" IS NULL OR x."decideLeaseUntil" < ${now})
          AND c."status" <> 'RESOLVED'
        ORDER BY x."createdAt", x."seq"
        LIMIT ${limit}
        FOR NO KEY UPDATE OF x SKIP LOCKED
      ) pick
      WHERE m."id" = pick."id"
      RETURNING m."id" AS "messageId", m."conversationId", m."seq"`;
  }

  /**
   * Everything a decision reads, in ONE statement: the conversation (with its visitor), the
   * visitor's messages up to and including this one (the latest `historyLimit`), and the
   * template key of the bot's last reply. Null when the message or conversation is gone.
   */
  async decisionContext(conversationId: string, messageId: string, historyLimit: number): Promise<DecisionContext | null> {
    const [row] = await this.sql.rows<ContextRow>(Prisma.sql`
      WITH target AS (
        SELECT "seq" FROM "Message" WHERE "id" = ${messageId} AND "conversationId" = ${conversationId}
      )
      SELECT
        (SELECT row_to_json(x) FROM (
           SELECT c.*, v."externalId" AS "visitorExternalId", v."name" AS "visitorName"
           FROM "Conversation" c JOIN "Visitor" v ON v."id" = c."visitorId" WHERE c."id" = ${conversationId}) x) AS "conversation",
        (SELECT json_agg(h ORDER BY h."seq") FROM (
           SELECT ${MESSAGE_COLUMNS} FROM "Message"
           WHERE "conversationId" = ${conversationId} AND ${authoredBy('VISITOR')} AND "seq" <= (SELECT "seq" FROM target)
           ORDER BY "seq" DESC LIMIT ${historyLimit}) h) AS "history",
        ${lastBotTemplate(conversationId)} AS "lastBot"`);
    const history = (row?.history ?? []).map(fromJsonMessage);
    const message = history.find((m) => m.id === messageId);
    if (!row?.conversation || !message) return null;
    return {
      conversation: fromJsonConversation(row.conversation),
      message,
      history,
      ...lastBotReply(row.lastBot),
    };
  }

  async getMessage(id: string): Promise<StoredMessage | null> {
    const row = await this.db.message.findUnique({ where: { id } });
    return row ? toMessage(row) : null;
  }

  /**
   * Records a decision in ONE statement, so it happens exactly once and all or nothing:
   * classifies the message, escalates, cancels the conversation's pending replies and plans the
   * new one. Every part is conditional, checked under the conversation's row lock (taken first,
   * the same order as `deliverReply`, so the two never deadlock):
   *  - the message must still be undecided, and every earlier visitor message decided (the rules
   *    saw that history; an old message decided late never overrides a newer one);
   *  - an escalation only moves a conversation nobody owns, from BOT or WAITING;
   *  - a reply is only planned (and older ones only replaced) while no operator owns it.
   * `decided: false` means nothing was written (decided elsewhere, or an earlier one is pending).
   */
  async applyDecision(d: DecisionToApply): Promise<AppliedDecision> {
    return this.decisions.run(d);
  }

  /** One decision in its own statement (`applyOnce`), run again after a lost seq race. */
  private async decideAlone(d: DecisionToApply): Promise<AppliedDecision> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.applyOnce(d);
      } catch (error) {
        // A reply delivered with its decision takes the next seq: a visitor message that took it
        // first fails the whole statement (nothing written), and the decision runs again.
        if (!isSeqViolation(error) || attempt >= MAX_SEQ_ATTEMPTS) throw error;
        await seqRetryPause(attempt);
      }
    }
  }

  private async applyOnce(d: DecisionToApply): Promise<AppliedDecision> {
    const reply = d.reply;
    const replyId = randomUUID();
    const ids = newDeliveryIds();
    // A reply due at once is written here as the bot message, not planned.
    const writeNow = reply !== null && d.deliverNow !== undefined;
    const [row] = await this.sql.rows<AppliedRow & DeliveredRow>(Prisma.sql`
      WITH c AS (
        SELECT "id", "status"::text AS "status", "ownerId" FROM "Conversation" WHERE "id" = ${d.conversationId} FOR NO KEY UPDATE
      ), m AS (
        UPDATE "Message" SET "category" = ${d.classification.category}, "confidence" = ${d.classification.confidence},
               "classificationSource" = ${d.classification.source}, "decideLeaseUntil" = NULL
        -- The conversation is checked by EXISTS, not \`"conversationId" = (SELECT …)\`: the message is
        -- found by its id (the primary key), never by a walk of its conversation's messages.
        WHERE "id" = ${d.messageId} AND "category" IS NULL AND EXISTS (SELECT 1 FROM c WHERE c."id" = "Message"."conversationId")
          AND NOT EXISTS (
            SELECT 1 FROM "Message" e
            WHERE e."conversationId" = ${d.conversationId} AND e."author" = 'VISITOR' AND e."seq" < ${d.seq} AND e."category" IS NULL)
        RETURNING "id"
      ), bot AS (
        SELECT 1 FROM c WHERE c."status" IN ('BOT', 'WAITING') AND c."ownerId" IS NULL AND EXISTS (SELECT 1 FROM m)
      ), esc AS (
        UPDATE "Conversation" SET "status" = 'WAITING', "priority" = ${d.escalate?.priority ?? 'NORMAL'}::"Priority",
               "escalationReason" = ${d.escalate?.reason ?? null},
               "escalatedAt" = CASE WHEN "status" = 'WAITING' THEN "escalatedAt" ELSE ${d.at} END, "updatedAt" = ${d.at},
               "intent" = COALESCE(${d.intent?.category ?? null}, "intent"),
               "intentConfidence" = CASE WHEN ${d.intent !== null} THEN ${d.intent?.confidence ?? null}::float8 ELSE "intentConfidence" END
        WHERE ${d.escalate !== null} AND "id" = ${d.conversationId} AND EXISTS (SELECT 1 FROM bot)
        RETURNING "status"::text AS "status", "priority"::text AS "priority", "escalationReason"
      ), tagged AS (
        -- While the bot has the conversation, each decided message says what it is about; once
        -- people have it, it keeps the intent it was escalated on.
        UPDATE "Conversation" SET "intent" = ${d.intent?.category ?? null}, "intentConfidence" = ${d.intent?.confidence ?? null}::float8
        WHERE ${d.escalate === null && d.intent !== null} AND "id" = ${d.conversationId}
          -- A conversation that stays on its topic is not rewritten at every message (a row per message
          -- on the hot path): only a new topic, or a confidence the topic did not have yet.
          AND ("intent" IS DISTINCT FROM ${d.intent?.category ?? null} OR ("intentConfidence" IS NULL AND ${d.intent?.confidence ?? null}::float8 IS NOT NULL))
          AND EXISTS (SELECT 1 FROM c WHERE c."status" = 'BOT') AND EXISTS (SELECT 1 FROM m)
        RETURNING "id"
      ), cancelled AS (
        UPDATE "PendingReply" SET "status" = 'CANCELLED'
        WHERE "conversationId" = ${d.conversationId} AND "status" = 'PENDING' AND EXISTS (SELECT 1 FROM m)
          AND (${d.cancelIfNoReply && reply === null} OR (${reply !== null} AND EXISTS (SELECT 1 FROM bot)))
        RETURNING "id"
      ), planned AS (
        INSERT INTO "PendingReply" ("id", "createdAt", "conversationId", "text", "category", "templateKey", "sources", "typingAt", "dueAt", "inReplyTo")
        SELECT ${replyId}, ${d.at}, ${d.conversationId}, ${reply?.text ?? ''}, ${reply?.category ?? ''}, ${reply?.templateKey ?? null},
               ${reply?.sources?.length ? JSON.stringify(reply.sources) : null}::jsonb,
               ${reply?.typingAt ?? d.at}, ${reply?.dueAt ?? d.at}, ${d.messageId}
        FROM bot WHERE ${reply !== null && !writeNow}
        RETURNING "id"
      ), dr AS (
        SELECT ${d.conversationId}::text AS "conversationId", ${reply?.text ?? ''}::text AS "text", ${reply?.templateKey ?? null}::text AS "templateKey",
               ${reply?.category ?? ''}::text AS "category", ${reply?.sources?.length ? JSON.stringify(reply.sources) : null}::jsonb AS "sources",
               ${d.messageId}::text AS "inReplyTo"
        FROM bot WHERE ${writeNow}
      ), dc AS (
        SELECT * FROM "Conversation" WHERE "id" = ${d.conversationId} AND EXISTS (SELECT 1 FROM dr)
      )${botMessageCtes(ids, d.at, d.deliverNow?.telegram, d.deliverNow?.webhook)}
      SELECT (SELECT count(*) FROM m)::int AS "decided", ${botMessageColumns},
             (SELECT row_to_json(c) FROM c) AS "before",
             (SELECT row_to_json(esc) FROM esc) AS "escalated",
             (SELECT count(*) FROM cancelled)::int AS "cancelled",
             (SELECT count(*) FROM tagged)::int AS "tagged",
             (SELECT count(*) FROM planned)::int AS "planned"`);
    if (!row || row.decided === 0) return { decided: false };
    return appliedFrom(row, replyId, ids, d.deliverNow?.telegram);
  }

  /**
   * Decisions of different conversations in ONE statement: what `applyOnce` does for one, row by
   * row, each part under the same conditions. The conversations are locked in id order and the
   * bot messages inserted in it, so two servers' batches (or a batch and a visitor messages'
   * batch) cannot deadlock. A message is decidable when, locked, it is still undecided and every
   * earlier visitor message is decided; a decidable row the batch refuses — its reply due now lost
   * its seq to a visitor message (ON CONFLICT DO NOTHING), or its Telegram call would go to a chat
   * an earlier row of the batch also writes a call to — writes nothing, and takes the single path.
   * A reply due now gets its outbox rows as `botMessageCtes` writes them: its Telegram call (stored
   * FAILED for a blocked chat, left due behind a pending call of its chat) and its webhook job.
   */
  private async decideMany(ds: DecisionToApply[]): Promise<AppliedDecision[]> {
    const input = ds.map((d, ord) => ({
      ord,
      conversationId: d.conversationId,
      messageId: d.messageId,
      seq: d.seq,
      category: d.classification.category,
      confidence: d.classification.confidence,
      source: d.classification.source,
      escalate: d.escalate !== null,
      priority: d.escalate?.priority ?? 'NORMAL',
      reason: d.escalate?.reason ?? null,
      hasIntent: d.intent !== null,
      intent: d.intent?.category ?? null,
      intentConfidence: d.intent?.confidence ?? null,
      cancelIfNoReply: d.cancelIfNoReply,
      hasReply: d.reply !== null,
      writeNow: d.reply !== null && d.deliverNow !== undefined,
      telegram: d.deliverNow?.telegram !== undefined,
      webhook: d.deliverNow?.webhook !== undefined,
      callLeaseUntil: (d.deliverNow?.telegram?.leaseUntil ?? d.at).toISOString(),
      hookLeaseUntil: (d.deliverNow?.webhook?.leaseUntil ?? d.at).toISOString(),
      replyId: randomUUID(),
      botMessageId: randomUUID(),
      callId: randomUUID(),
      hookId: randomUUID(),
      text: d.reply?.text ?? '',
      replyCategory: d.reply?.category ?? '',
      templateKey: d.reply?.templateKey ?? null,
      sources: d.reply?.sources?.length ? d.reply.sources : null,
      typingAt: (d.reply?.typingAt ?? d.at).toISOString(),
      dueAt: (d.reply?.dueAt ?? d.at).toISOString(),
      at: d.at.toISOString(),
    }));
    const rows = await this.sql.rows<AppliedRow & DeliveredRow & { ord: number; decidable: boolean }>(Prisma.sql`
      WITH input AS (
        SELECT * FROM json_to_recordset(${JSON.stringify(input)}::json) AS i(
          "ord" int, "conversationId" text, "messageId" text, "seq" int, "category" text, "confidence" float8, "source" text,
          "escalate" boolean, "priority" text, "reason" text, "hasIntent" boolean, "intent" text, "intentConfidence" float8,
          "cancelIfNoReply" boolean, "hasReply" boolean, "writeNow" boolean, "telegram" boolean, "webhook" boolean,
          "callLeaseUntil" timestamp(3), "hookLeaseUntil" timestamp(3), "replyId" text, "botMessageId" text, "callId" text, "hookId" text,
          "text" text, "replyCategory" text, "templateKey" text, "sources" jsonb, "typingAt" timestamp(3), "dueAt" timestamp(3), "at" timestamp(3))
        -- A batch is never larger; the planner takes json_to_recordset for 100 rows otherwise, and at
        -- that count hashing them against a scan of every message looks cheaper than looking each up.
        LIMIT ${Prisma.raw(String(BATCH_SIZE))}
      ), c AS (
        -- Locked one by one in id order (the batch's keys are distinct), each by its key. As a join,
        -- the kept plan hashed the batch against a scan of every conversation.
        SELECT x.* FROM (SELECT "conversationId" FROM input ORDER BY "conversationId") i
        CROSS JOIN LATERAL (
          SELECT "id", "status"::text AS "status", "ownerId", "channel"::text AS "channel", "webhookUrl", "siteId", "chatId", "deliveryBlockedAt"
          FROM "Conversation" WHERE "id" = i."conversationId"
          FOR NO KEY UPDATE
        ) x
      ), decidable AS (
        -- Locked, so a decision of the same message elsewhere that committed meanwhile is seen
        -- (the lock re-reads the row): then it is no longer undecided. Each row's checks run in a
        -- locking subquery, which the planner keeps as lookups by key for that row. As joins, the
        -- plan it kept from when the tables were small hashed the batch against a scan of every
        -- undecided message (2,600 rows read per message at 38,000 messages in the load bench), and
        -- read the whole undecided index for the "earlier message undecided" check of every row.
        SELECT i."ord" FROM input i
        JOIN c ON c."id" = i."conversationId"
        CROSS JOIN LATERAL (
          SELECT 1 FROM "Message" x
          WHERE x."id" = i."messageId" AND x."conversationId" = i."conversationId" AND x."category" IS NULL
            AND NOT EXISTS (
              SELECT 1 FROM "Message" e
              WHERE e."conversationId" = i."conversationId" AND e."author" = 'VISITOR' AND e."seq" < i."seq" AND e."category" IS NULL)
          FOR NO KEY UPDATE
        ) undecided
      ), bot0 AS (
        SELECT i."ord" FROM input i JOIN c ON c."id" = i."conversationId"
        WHERE c."status" IN ('BOT', 'WAITING') AND c."ownerId" IS NULL AND i."ord" IN (SELECT "ord" FROM decidable)
      ), dm AS (
        INSERT INTO "Message" ("id", "createdAt", "conversationId", "seq", "author", "text", "templateKey", "category", "sources", "deliveredAt", "inReplyTo")
        SELECT i."botMessageId", i."at", i."conversationId", COALESCE((SELECT max(x."seq") FROM "Message" x WHERE x."conversationId" = i."conversationId"), 0) + 1,
               'BOT'::"AuthorKind", i."text", i."templateKey", i."replyCategory", i."sources", i."at", i."messageId"
        FROM input i JOIN c ON c."id" = i."conversationId"
        WHERE i."writeNow" AND i."ord" IN (SELECT "ord" FROM bot0)
          -- A call is behind the pending calls it sees, not those of this statement: of two rows
          -- with calls to one chat (two conversations of it), the later one waits for the single
          -- statement, which sees the first's call.
          AND NOT (i."telegram" AND c."channel" = 'TELEGRAM' AND EXISTS (
            SELECT 1 FROM input j JOIN c cj ON cj."id" = j."conversationId"
            WHERE j."ord" < i."ord" AND j."telegram" AND cj."channel" = 'TELEGRAM' AND cj."siteId" = c."siteId" AND cj."chatId" = c."chatId"))
        ORDER BY i."conversationId"
        ON CONFLICT DO NOTHING
        RETURNING "id", "seq", "createdAt"
      ), behind AS (
        SELECT i."ord", EXISTS (
                 SELECT 1 FROM "TelegramCall" t WHERE t."status" = 'PENDING' AND t."siteId" = c."siteId" AND t."payload"->>'chat_id' = c."chatId") AS "behind"
        FROM input i JOIN c ON c."id" = i."conversationId"
        WHERE i."telegram" AND c."channel" = 'TELEGRAM' AND c."chatId" IS NOT NULL AND i."botMessageId" IN (SELECT "id" FROM dm)
      ), call AS (
        INSERT INTO "TelegramCall" ("id", "createdAt", "siteId", "conversationId", "key", "method", "payload", "status", "nextAttemptAt", "lastError")
        SELECT i."callId", i."at", c."siteId", c."id", 'msg:' || i."botMessageId", 'sendMessage', jsonb_build_object('chat_id', c."chatId", 'text', i."text"),
               (CASE WHEN c."deliveryBlockedAt" IS NOT NULL THEN 'FAILED' ELSE 'PENDING' END)::"WebhookStatus",
               CASE WHEN b."behind" THEN i."at" ELSE i."callLeaseUntil" END,
               CASE WHEN c."deliveryBlockedAt" IS NOT NULL THEN ${BLOCKED_REASON} END
        FROM behind b JOIN input i ON i."ord" = b."ord" JOIN c ON c."id" = i."conversationId"
        ON CONFLICT ("key") DO NOTHING
        RETURNING "id", "status"::text AS "status"
      ), hook AS (
        INSERT INTO "WebhookDelivery" ("id", "createdAt", "messageId", "url", "payload", "nextAttemptAt")
        SELECT i."hookId", i."at", i."botMessageId", c."webhookUrl", NULL, i."hookLeaseUntil"
        FROM input i JOIN c ON c."id" = i."conversationId"
        WHERE i."webhook" AND c."webhookUrl" IS NOT NULL AND i."botMessageId" IN (SELECT "id" FROM dm)
        RETURNING "id"
      ), ok AS (
        -- What this batch writes: a decidable row, unless the reply it had to write now is not written.
        SELECT i."ord" FROM input i
        WHERE i."ord" IN (SELECT "ord" FROM decidable)
          AND (NOT i."writeNow" OR i."ord" NOT IN (SELECT "ord" FROM bot0) OR i."botMessageId" IN (SELECT "id" FROM dm))
      ), bot AS (
        SELECT "ord" FROM bot0 WHERE "ord" IN (SELECT "ord" FROM ok)
      ), m AS (
        -- \`= ANY(ARRAY[…])\` is no condition to hash or merge on, so each message is looked up by its
        -- key. With \`=\`, the plan Postgres keeps for this statement, made while the table was small,
        -- went on scanning every message at each batch as the table grew.
        UPDATE "Message" x SET "category" = i."category", "confidence" = i."confidence", "classificationSource" = i."source", "decideLeaseUntil" = NULL
        FROM input i WHERE x."id" = ANY(ARRAY[i."messageId"]) AND i."ord" IN (SELECT "ord" FROM ok)
        RETURNING i."ord"
      ), esc AS (
        UPDATE "Conversation" x SET "status" = 'WAITING', "priority" = i."priority"::"Priority", "escalationReason" = i."reason",
               "escalatedAt" = CASE WHEN x."status" = 'WAITING' THEN x."escalatedAt" ELSE i."at" END, "updatedAt" = i."at",
               "intent" = COALESCE(i."intent", x."intent"),
               "intentConfidence" = CASE WHEN i."hasIntent" THEN i."intentConfidence" ELSE x."intentConfidence" END
        FROM input i WHERE i."escalate" AND x."id" = i."conversationId" AND i."ord" IN (SELECT "ord" FROM bot)
        RETURNING i."ord", x."status"::text AS "status", x."priority"::text AS "priority", x."escalationReason"
      ), tagged AS (
        UPDATE "Conversation" x SET "intent" = i."intent", "intentConfidence" = i."intentConfidence"
        FROM input i JOIN c ON c."id" = i."conversationId"
        WHERE NOT i."escalate" AND i."hasIntent" AND x."id" = i."conversationId" AND c."status" = 'BOT' AND i."ord" IN (SELECT "ord" FROM ok)
          AND (x."intent" IS DISTINCT FROM i."intent" OR (x."intentConfidence" IS NULL AND i."intentConfidence" IS NOT NULL))
        RETURNING i."ord"
      ), cancelled AS (
        UPDATE "PendingReply" p SET "status" = 'CANCELLED'
        FROM input i
        WHERE p."conversationId" = i."conversationId" AND p."status" = 'PENDING' AND i."ord" IN (SELECT "ord" FROM ok)
          AND ((i."cancelIfNoReply" AND NOT i."hasReply") OR (i."hasReply" AND i."ord" IN (SELECT "ord" FROM bot)))
        RETURNING i."ord"
      ), planned AS (
        INSERT INTO "PendingReply" ("id", "createdAt", "conversationId", "text", "category", "templateKey", "sources", "typingAt", "dueAt", "inReplyTo")
        SELECT i."replyId", i."at", i."conversationId", i."text", i."replyCategory", i."templateKey", i."sources", i."typingAt", i."dueAt", i."messageId"
        FROM input i WHERE i."hasReply" AND NOT i."writeNow" AND i."ord" IN (SELECT "ord" FROM bot)
        RETURNING "id"
      )
      SELECT i."ord",
             i."ord" IN (SELECT "ord" FROM decidable) AS "decidable",
             (SELECT count(*) FROM m WHERE m."ord" = i."ord")::int AS "decided",
             (SELECT row_to_json(x) FROM (SELECT c."id", c."status", c."ownerId" FROM c WHERE c."id" = i."conversationId") x) AS "before",
             (SELECT row_to_json(x) FROM (SELECT esc."status", esc."priority", esc."escalationReason" FROM esc WHERE esc."ord" = i."ord") x) AS "escalated",
             (SELECT count(*) FROM cancelled WHERE cancelled."ord" = i."ord")::int AS "cancelled",
             (SELECT count(*) FROM tagged WHERE tagged."ord" = i."ord")::int AS "tagged",
             (SELECT count(*) FROM planned WHERE planned."id" = i."replyId")::int AS "planned",
             (SELECT row_to_json(dm) FROM dm WHERE dm."id" = i."botMessageId") AS "message",
             (SELECT row_to_json(dc) FROM "Conversation" dc WHERE dc."id" = i."conversationId" AND i."botMessageId" IN (SELECT "id" FROM dm)) AS "conversation",
             (SELECT json_build_object('externalId', v."externalId", 'name', v."name") FROM "Visitor" v JOIN "Conversation" dc ON v."id" = dc."visitorId"
              WHERE dc."id" = i."conversationId" AND i."botMessageId" IN (SELECT "id" FROM dm)) AS "visitor",
             (SELECT json_build_object('text', i."text", 'templateKey', i."templateKey", 'category', i."replyCategory", 'sources', i."sources")
              WHERE i."botMessageId" IN (SELECT "id" FROM dm)) AS "reply",
             (SELECT json_build_object('id', call."id", 'status', call."status", 'behind', b."behind")
              FROM call JOIN behind b ON b."ord" = i."ord" WHERE call."id" = i."callId") AS "call",
             (SELECT hook."id" FROM hook WHERE hook."id" = i."hookId") AS "webhookJobId"
      FROM input i`);
    const byOrd = new Map(rows.map((row) => [row.ord, row]));
    const outcomes: AppliedDecision[] = [];
    // One refused row after another, not all at once: a batch of them must not take the pool.
    for (const [ord, d] of ds.entries()) {
      const row = byOrd.get(ord);
      if (row && row.decided > 0) {
        const { replyId, botMessageId, callId, hookId } = input[ord]!;
        outcomes.push(appliedFrom(row, replyId, { messageId: botMessageId, callId, hookId }, d.deliverNow?.telegram));
      } else if (row && !row.decidable) outcomes.push({ decided: false });
      else outcomes.push(await this.decideAlone(d));
    }
    return outcomes;
  }

  async cancelPendingReplies(conversationId: string): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>(Prisma.sql`
      UPDATE "PendingReply" SET "status" = 'CANCELLED' WHERE "conversationId" = ${conversationId} AND "status" = 'PENDING' RETURNING "id"`);
    return rows.map((r) => r.id);
  }

  /**
   * PENDING → DELIVERED plus the bot message, in ONE statement. The conditional update is the
   * exactly-once gate: of two processes (or a timer and the start-up sweep) only one sees the
   * row. The conversation must still be the bot's (BOT or WAITING): once an operator owns it or
   * it is resolved, the reply is cancelled instead.
   * With `telegram`, a Telegram conversation's reply is also stored as its outbox call (the
   * `enqueueCall` row, checks included) by the same statement: no crash or failure between the
   * two can leave a delivered reply that never reaches the chat.
   */
  async deliverReply(replyId: string, at: Date, telegram?: TelegramDelivery, webhook?: WebhookDeliveryLease): Promise<DeliveredReply | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deliverOnce(replyId, at, telegram, webhook);
      } catch (error) {
        // A visitor message took the seq this reply was to have: the statement left nothing behind.
        if (!isUniqueViolation(error) || attempt >= MAX_SEQ_ATTEMPTS) throw error;
        await seqRetryPause(attempt);
      }
    }
  }

  private async deliverOnce(replyId: string, at: Date, telegram?: TelegramDelivery, webhook?: WebhookDeliveryLease): Promise<DeliveredReply | null> {
    const ids = newDeliveryIds();
    // The conversation row is locked first (`lock`), as in `applyDecision`: the same lock order
    // in both statements, so a delivery and a decision of one conversation never deadlock. The
    // lock is NO KEY UPDATE, which a message insert's foreign-key check (KEY SHARE) passes: with
    // FOR UPDATE, a visitor message racing this reply for one seq deadlocked with it (each waiting
    // for the other: the seq index entry against the conversation row).
    const [row] = await this.sql.rows<DeliveredRow & { won: number }>(Prisma.sql`
      WITH lock AS (
        SELECT "id" FROM "Conversation"
        WHERE "id" = (SELECT "conversationId" FROM "PendingReply" WHERE "id" = ${replyId})
        FOR NO KEY UPDATE
      ), dr AS (
        UPDATE "PendingReply" SET "status" = 'DELIVERED', "messageId" = ${ids.messageId}
        WHERE "id" = ${replyId} AND "status" = 'PENDING' AND EXISTS (SELECT 1 FROM lock WHERE lock."id" = "PendingReply"."conversationId")
        RETURNING "conversationId", "text", "templateKey", "category", "sources", "inReplyTo"
      ), dc AS (
        SELECT * FROM "Conversation"
        WHERE "id" = (SELECT "conversationId" FROM dr) AND "status"::text IN ('BOT', 'WAITING') AND "ownerId" IS NULL
      )${botMessageCtes(ids, at, telegram, webhook)}
      SELECT (SELECT count(*) FROM dr)::int AS "won", ${botMessageColumns}`);
    if (!row || row.won === 0) return null;
    const delivered = toDelivered(row, ids, telegram);
    if (!delivered) {
      // A human took over (or the conversation was resolved) before the reply was due.
      await this.db.pendingReply.update({ where: { id: replyId }, data: { status: 'CANCELLED', messageId: null } });
      return null;
    }
    return delivered;
  }

  async pendingReplies(dueBefore?: Date, limit?: number): Promise<PendingReplyRecord[]> {
    const rows = await this.db.pendingReply.findMany({
      where: { status: 'PENDING', ...(dueBefore ? { dueAt: { lte: dueBefore } } : {}) },
      orderBy: { dueAt: 'asc' },
      ...(limit ? { take: limit } : {}),
    });
    return rows.map(toReply);
  }

  /** Deletes finished pending replies and webhook deliveries older than `before`, `limit` of each at a time. */
  async deleteFinishedBefore(before: Date, limit: number): Promise<{ replies: number; webhooks: number }> {
    const replies = await this.db.$executeRaw`
      DELETE FROM "PendingReply" WHERE "id" IN (
        SELECT "id" FROM "PendingReply" WHERE "status" IN ('DELIVERED', 'CANCELLED') AND "dueAt" < ${before} LIMIT ${limit})`;
    const webhooks = await this.db.$executeRaw`
      DELETE FROM "WebhookDelivery" WHERE "id" IN (
        SELECT "id" FROM "WebhookDelivery" WHERE "createdAt" < ${before} AND "status" IN ('DELIVERED', 'FAILED') LIMIT ${limit})`;
    return { replies, webhooks };
  }

  /** The reply to a visitor message: its plan, or the bot message its decision delivered at once. */
  async replyFor(messageId: string): Promise<PendingReplyRecord | null> {
    const row = await this.db.pendingReply.findFirst({ where: { inReplyTo: messageId }, orderBy: { createdAt: 'desc' } });
    if (row) return toReply(row);
    const sent = await this.db.message.findFirst({ where: { inReplyTo: messageId, author: 'BOT' }, orderBy: { seq: 'desc' } });
    if (!sent) return null;
    const { id, conversationId, text, category, templateKey, createdAt } = sent;
    return { id, conversationId, text, category: category ?? '', templateKey, sources: (sent.sources as KnowledgeSource[] | null) ?? null, typingAt: createdAt, dueAt: createdAt, status: 'DELIVERED', messageId: id, inReplyTo: messageId };
  }

  async templates(siteId: string): Promise<TemplateDto[]> {
    const rows = await this.db.template.findMany({ where: { siteId }, orderBy: [{ category: 'asc' }, { locale: 'asc' }] });
    return rows.map((r) => ({ id: r.id, category: r.category as TemplateKey, locale: r.locale, variants: r.variants }));
  }

  async saveTemplate(siteId: string, category: string, locale: string, variants: string[]): Promise<TemplateDto> {
    const r = await this.db.template.upsert({
      where: { siteId_category_locale: { siteId, category, locale } },
      create: { siteId, category, locale, variants },
      update: { variants },
    });
    return { id: r.id, category: r.category as TemplateKey, locale: r.locale, variants: r.variants };
  }

  async seedTemplates(siteId: string, library: Record<string, Record<string, string[]>>): Promise<number> {
    const data = Object.entries(library).flatMap(([category, byLocale]) =>
      Object.entries(byLocale).map(([locale, variants]) => ({ siteId, category, locale, variants })),
    );
    // Only missing templates are added: an admin's edits survive restarts.
    const { count } = await this.db.template.createMany({ data, skipDuplicates: true });
    return count;
  }

  async enqueueWebhook(messageId: string, url: string, payload: unknown, leaseUntil: Date): Promise<WebhookJob | null> {
    try {
      const row = await this.db.webhookDelivery.create({ data: { messageId, url, payload: payload as Prisma.InputJsonValue, nextAttemptAt: leaseUntil }, include: webhookInclude });
      return toWebhookJob(row);
    } catch (error) {
      if (isUniqueViolation(error)) return null; // already queued by another process
      throw error;
    }
  }

  async dueWebhooks(now: Date, limit: number): Promise<WebhookJob[]> {
    const rows = await this.db.webhookDelivery.findMany({
      where: { status: 'PENDING', nextAttemptAt: { lte: now } },
      orderBy: { nextAttemptAt: 'asc' },
      take: limit,
      include: webhookInclude,
    });
    return rows.map(toWebhookJob);
  }

  async leaseWebhook(id: string, now: Date, leaseUntil: Date): Promise<boolean> {
    const { count } = await this.db.webhookDelivery.updateMany({
      where: { id, status: 'PENDING', nextAttemptAt: { lte: now } },
      data: { nextAttemptAt: leaseUntil },
    });
    return count === 1;
  }

  async webhookDelivered(id: string, at: Date): Promise<void> {
    await this.db.webhookDelivery.update({ where: { id }, data: { status: 'DELIVERED', deliveredAt: at, attempts: { increment: 1 } } });
  }

  async webhookFailed(id: string, error: string, nextAttemptAt: Date | null): Promise<void> {
    await this.db.webhookDelivery.update({
      where: { id },
      data: {
        attempts: { increment: 1 },
        lastError: error.slice(0, 500),
        ...(nextAttemptAt ? { nextAttemptAt } : { status: 'FAILED' }),
      },
    });
  }

  async stats() {
    const [conversations, messages, byCategory, byStatus, knowledgeAnswers, knowledgeMarkedWrong] = await Promise.all([
      this.db.conversation.count(),
      this.db.message.count(),
      this.db.message.groupBy({ by: ['category'], where: { author: 'VISITOR', category: { not: null } }, _count: { _all: true } }),
      this.db.conversation.groupBy({ by: ['status'], _count: { _all: true } }),
      this.db.message.count({ where: { author: 'BOT', sources: { not: Prisma.DbNull } } }),
      this.db.message.count({ where: { author: 'BOT', markedWrongAt: { not: null } } }),
    ]);
    return {
      conversations,
      messages,
      knowledgeAnswers,
      knowledgeMarkedWrong,
      messagesByCategory: Object.fromEntries(byCategory.map((r) => [r.category ?? 'UNKNOWN', r._count._all])),
      conversationsByStatus: Object.fromEntries(byStatus.map((r) => [r.status, r._count._all])),
    };
  }

  async markAnswerWrong(conversationId: string, messageId: string, mark: { operatorId: string; at: Date } | null): Promise<StoredMessage | null> {
    // Scoped by conversation, and only bot answers from the knowledge base can be marked.
    const { count } = await this.db.message.updateMany({
      where: { id: messageId, conversationId, author: 'BOT', sources: { not: Prisma.DbNull } },
      data: { markedWrongAt: mark?.at ?? null, markedWrongBy: mark?.operatorId ?? null },
    });
    return count === 0 ? null : this.getMessage(messageId);
  }

  async findOperatorByEmail(email: string): Promise<OperatorRecord | null> {
    const row = await this.db.operator.findUnique({ where: { email: email.toLowerCase() }, include: operatorInclude });
    return row ? toOperator(row) : null;
  }

  /**
   * Asked on every console event (tenancy): one statement with the memberships as JSON, a third of
   * the time of Prisma's include (which reads operator, memberships and sites apart).
   */
  async getOperator(id: string): Promise<OperatorRecord | null> {
    const [row] = await this.db.$queryRaw<Array<Omit<OperatorRecord, 'memberships'> & { memberships: MembershipRecord[] }>>`
      SELECT o."id", o."email", o."name", o."role"::text AS "role", o."displayName", o."avatarUrl", o."passwordHash", o."tokenVersion",
        o."availability"::text AS "availability", o."maxConversations",
        COALESCE((SELECT json_agg(json_build_object('siteId', s."id", 'siteKey', s."key", 'siteName', s."name", 'role', m."role") ORDER BY s."createdAt", s."id")
          FROM "SiteMembership" m JOIN "Site" s ON s."id" = m."siteId" WHERE m."operatorId" = o."id"), '[]'::json) AS "memberships"
      FROM "Operator" o WHERE o."id" = ${id}`;
    return row ?? null;
  }

  async upsertOperator(op: Omit<OperatorRecord, 'id' | 'tokenVersion' | 'memberships' | 'displayName' | 'avatarUrl' | 'availability' | 'maxConversations'>, sites: { siteKey: string; role: 'admin' | 'operator' }[] = []): Promise<OperatorRecord> {
    const email = op.email.toLowerCase();
    return this.db.$transaction(async (tx) => {
      const saved = await tx.operator.upsert({ where: { email }, create: { ...op, email }, update: { ...op, email, tokenVersion: { increment: 1 } } });
      for (const { siteKey, role } of sites) {
        const site = await tx.site.findUnique({ where: { key: siteKey }, select: { id: true } });
        if (!site) throw new Error(`No site with key "${siteKey}"`);
        await tx.siteMembership.upsert({ where: { siteId_operatorId: { siteId: site.id, operatorId: saved.id } }, create: { siteId: site.id, operatorId: saved.id, role }, update: { role } });
      }
      return toOperator(await tx.operator.findUniqueOrThrow({ where: { id: saved.id }, include: operatorInclude }));
    });
  }

  async revokeOperatorTokens(id: string): Promise<void> {
    await this.db.operator.updateMany({ where: { id }, data: { tokenVersion: { increment: 1 } } });
  }

  async queue(siteIds?: readonly string[]): Promise<QueueItem[]> {
    const rows = await this.db.conversation.findMany({
      where: { status: { in: ['WAITING', 'OPERATOR'] }, ...(siteIds ? { siteId: { in: [...siteIds] } } : {}) },
      include: queueInclude,
      orderBy: [{ priority: 'desc' }, { escalatedAt: 'asc' }],
      take: 500,
    });
    return rows.map(toQueueItem);
  }

  async queueItem(conversationId: string): Promise<QueueItem | null> {
    const row = await this.db.conversation.findUnique({ where: { id: conversationId }, include: queueInclude });
    return row ? toQueueItem(row) : null;
  }

  async claim(conversationId: string, operatorId: string): Promise<boolean> {
    const { count } = await this.db.conversation.updateMany({
      where: { id: conversationId, ownerId: null, status: { not: 'RESOLVED' } },
      data: { ownerId: operatorId, status: 'OPERATOR' },
    });
    return count === 1;
  }

  async resolve(conversationId: string, at: Date): Promise<ConversationRecord | null> {
    const { count } = await this.db.conversation.updateMany({
      where: { id: conversationId, status: { not: 'RESOLVED' } },
      data: { status: 'RESOLVED', resolvedAt: at },
    });
    return count === 1 ? this.getConversation(conversationId) : null;
  }

  async handBack(conversationId: string): Promise<ConversationRecord | null> {
    const { count } = await this.db.conversation.updateMany({
      where: { id: conversationId, status: { in: ['WAITING', 'OPERATOR'] } },
      data: { status: 'BOT', ownerId: null, priority: 'NORMAL', escalationReason: null, escalatedAt: null },
    });
    return count === 1 ? this.getConversation(conversationId) : null;
  }

  async rate(conversationId: string, rating: number): Promise<void> {
    await this.db.conversation.update({ where: { id: conversationId }, data: { rating } });
  }

  async openIncident(siteId: string): Promise<IncidentDto | null> {
    const row = await this.db.incident.findFirst({ where: { siteId, status: 'OPEN' }, include: incidentInclude, orderBy: { createdAt: 'desc' } });
    return row ? toIncident(row) : null;
  }

  async openOrCreateIncident(siteId: string): Promise<IncidentDto> {
    return this.db.$transaction(async (tx) => {
      // The site row lock serializes processes crossing the threshold at the same moment.
      await tx.$queryRaw`SELECT "id" FROM "Site" WHERE "id" = ${siteId} FOR UPDATE`;
      const open = await tx.incident.findFirst({ where: { siteId, status: 'OPEN' }, include: incidentInclude });
      return toIncident(open ?? (await tx.incident.create({ data: { siteId }, include: incidentInclude })));
    });
  }

  async linkIncident(conversationId: string, incidentId: string): Promise<void> {
    await this.db.conversation.update({ where: { id: conversationId }, data: { incidentId } });
  }

  async linkVisitorsToIncident(siteId: string, visitorIds: string[], incidentId: string): Promise<number> {
    const { count } = await this.db.conversation.updateMany({
      where: { siteId, visitorId: { in: visitorIds }, status: { not: 'RESOLVED' }, incidentId: null },
      data: { incidentId },
    });
    return count;
  }

  async getIncident(id: string): Promise<IncidentDto | null> {
    const row = await this.db.incident.findUnique({ where: { id }, include: incidentInclude });
    return row ? toIncident(row) : null;
  }

  async resolveIncident(incidentId: string, resolution: string, at: Date) {
    const { count } = await this.db.incident.updateMany({
      where: { id: incidentId, status: 'OPEN' },
      data: { status: 'RESOLVED', resolution, resolvedAt: at },
    });
    if (count === 0) return null;
    const row = await this.db.incident.findUniqueOrThrow({ where: { id: incidentId }, include: incidentInclude });
    const linked = await this.db.conversation.findMany({ where: { incidentId }, select: { id: true } });
    return { incident: toIncident(row), siteId: row.siteId, conversationIds: linked.map((c) => c.id) };
  }

  async incidents(status?: 'OPEN' | 'RESOLVED', siteIds?: readonly string[]): Promise<IncidentDto[]> {
    const rows = await this.db.incident.findMany({
      where: { ...(status ? { status } : {}), ...(siteIds ? { siteId: { in: [...siteIds] } } : {}) },
      include: incidentInclude,
      orderBy: { createdAt: 'desc' },
      take: 100,
    });
    return rows.map(toIncident);
  }

  async incidentSite(incidentId: string): Promise<string | null> {
    return (await this.db.incident.findUnique({ where: { id: incidentId }, select: { siteId: true } }))?.siteId ?? null;
  }
}

const webhookInclude = { message: { select: { conversationId: true } } } as const;

function toWebhookJob(row: { id: string; url: string; payload: unknown; messageId: string; attempts: number; message: { conversationId: string } }): WebhookJob {
  return { id: row.id, url: row.url, payload: row.payload, messageId: row.messageId, conversationId: row.message.conversationId, attempts: row.attempts };
}
