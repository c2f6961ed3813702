/**
 * The inbox's reads on Prisma, in SQL that runs the same on Postgres and on the embedded PGlite
 * (both ship Postgres's Snowball dictionaries). Lists use keyset pagination over the
 * `(status, createdAt, id)` indexes; search uses the GIN expression index of the migration
 * `inbox_views_and_search` (the expression below must stay identical to it).
 */
import type { Category, QueueItem } from '@support-chat/protocol';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type { InboxCursor, InboxRepo, InboxScope, StoredMessage } from '../../services/ports.ts';
import { toMessage, type MessageRow } from './prisma-store.ts';

/** Russian stems Cyrillic words, English Latin ones: one vector of both (the migration's index expression, verbatim), matched by a query of both. */
const MESSAGE_VECTOR = Prisma.sql`(to_tsvector('russian'::regconfig, m."text") || to_tsvector('english'::regconfig, m."text"))`;
const searchQuery = (text: string) => Prisma.sql`(websearch_to_tsquery('russian'::regconfig, ${text}) || websearch_to_tsquery('english'::regconfig, ${text}))`;
/** A message's columns. */
const MESSAGE_COLUMNS = Prisma.sql`m."id", m."createdAt", m."conversationId", m."seq", m."author", m."text", m."clientMessageId", m."operatorId",
  m."category", m."confidence", m."classificationSource", m."templateKey", m."sources", m."markedWrongAt", m."markedWrongBy", m."deliveredAt", m."decideLeaseUntil"`;

interface ItemRow {
  id: string;
  createdAt: Date;
  channel: 'WIDGET' | 'REST' | 'TELEGRAM';
  siteKey: string;
  siteName: string;
  visitorExternalId: string;
  visitorName: string | null;
  visitorEmail: string | null;
  status: QueueItem['status'];
  priority: QueueItem['priority'];
  escalationReason: string | null;
  escalatedAt: Date | null;
  intent: string | null;
  intentConfidence: number | null;
  lastMessage: string | null;
  ownerId: string | null;
  ownerName: string | null;
  incidentId: string | null;
}

/** A queue row's columns for the conversations `c` (with their site, visitor and owner). */
const ITEM_COLUMNS = Prisma.sql`
  c."id", c."createdAt", c."channel"::text AS "channel", s."key" AS "siteKey", s."name" AS "siteName",
  v."externalId" AS "visitorExternalId", v."name" AS "visitorName", v."email" AS "visitorEmail",
  c."status"::text AS "status", c."priority"::text AS "priority", c."escalationReason", c."escalatedAt",
  c."intent", c."intentConfidence", c."ownerId", o."name" AS "ownerName", c."incidentId",
  (SELECT l."text" FROM "Message" l WHERE l."conversationId" = c."id" AND l."author" = 'VISITOR' ORDER BY l."seq" DESC LIMIT 1) AS "lastMessage"`;
const ITEM_JOINS = Prisma.sql`
  JOIN "Site" s ON s."id" = c."siteId"
  JOIN "Visitor" v ON v."id" = c."visitorId"
  LEFT JOIN "Operator" o ON o."id" = c."ownerId"`;

function toItem(row: ItemRow): QueueItem {
  return {
    conversationId: row.id,
    createdAt: row.createdAt.toISOString(),
    channel: row.channel,
    siteKey: row.siteKey,
    siteName: row.siteName,
    visitorId: row.visitorExternalId,
    visitorName: row.visitorName,
    visitorEmail: row.visitorEmail,
    status: row.status,
    priority: row.priority,
    escalationReason: row.escalationReason,
    escalatedAt: row.escalatedAt?.toISOString() ?? null,
    category: row.intent as Category | null,
    confidence: row.intentConfidence,
    lastMessage: row.lastMessage,
    ownerId: row.ownerId,
    ownerName: row.ownerName,
    incidentId: row.incidentId,
  };
}

/** The scope's conditions on the conversations `c`. */
function scopeConditions(scope: InboxScope): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (scope.siteIds) where.push(scope.siteIds.length === 0 ? Prisma.sql`FALSE` : Prisma.sql`c."siteId" IN (${Prisma.join(scope.siteIds)})`);
  if (scope.priority) where.push(Prisma.sql`c."priority" = ${scope.priority}::"Priority"`);
  if (scope.channel) where.push(Prisma.sql`c."channel" = ${scope.channel}::"Channel"`);
  if (scope.intent) where.push(Prisma.sql`c."intent" = ${scope.intent}`);
  return where;
}

const all = (conditions: Prisma.Sql[]) => (conditions.length === 0 ? Prisma.sql`TRUE` : Prisma.join(conditions, ' AND '));

export class PrismaInbox implements InboxRepo {
  constructor(private readonly db: PrismaClient) {}

  async conversations(
    scope: InboxScope & { statuses: readonly QueueItem['status'][]; ownerId?: string },
    after: InboxCursor | null,
    limit: number,
  ): Promise<QueueItem[]> {
    const where = [...scopeConditions(scope), Prisma.sql`c."status"::text IN (${Prisma.join(scope.statuses)})`];
    if (scope.ownerId) where.push(Prisma.sql`c."ownerId" = ${scope.ownerId}`);
    if (after) where.push(Prisma.sql`(c."createdAt", c."id") < (${after.createdAt}, ${after.id})`);
    const rows = await this.db.$queryRaw<ItemRow[]>`
      SELECT ${ITEM_COLUMNS} FROM "Conversation" c ${ITEM_JOINS}
      WHERE ${all(where)}
      ORDER BY c."createdAt" DESC, c."id" DESC
      LIMIT ${limit}`;
    return rows.map(toItem);
  }

  async search(scope: InboxScope, text: string, after: InboxCursor | null, limit: number): Promise<Array<{ item: QueueItem; message: StoredMessage }>> {
    const where = [...scopeConditions(scope), Prisma.sql`${MESSAGE_VECTOR} @@ ${searchQuery(text)}`];
    if (after) where.push(Prisma.sql`(m."createdAt", m."id") < (${after.createdAt}, ${after.id})`);
    const messages = await this.db.$queryRaw<MessageRow[]>`
      SELECT ${MESSAGE_COLUMNS}, o."name" AS "operatorName" FROM "Message" m JOIN "Conversation" c ON c."id" = m."conversationId"
      LEFT JOIN "Operator" o ON o."id" = m."operatorId"
      WHERE ${all(where)}
      ORDER BY m."createdAt" DESC, m."id" DESC
      LIMIT ${limit}`;
    if (messages.length === 0) return [];
    const ids = [...new Set(messages.map((m) => m.conversationId))];
    const items = await this.db.$queryRaw<ItemRow[]>`SELECT ${ITEM_COLUMNS} FROM "Conversation" c ${ITEM_JOINS} WHERE c."id" IN (${Prisma.join(ids)})`;
    const byId = new Map(items.map((row) => [row.id, toItem(row)]));
    return messages.flatMap((m) => {
      const item = byId.get(m.conversationId);
      return item ? [{ item, message: toMessage(m) }] : [];
    });
  }

  async messagesBefore(conversationId: string, beforeSeq: number | null, limit: number): Promise<StoredMessage[]> {
    const rows = await this.db.$queryRaw<MessageRow[]>`
      SELECT ${MESSAGE_COLUMNS}, o."name" AS "operatorName" FROM "Message" m LEFT JOIN "Operator" o ON o."id" = m."operatorId"
      WHERE m."conversationId" = ${conversationId} AND ${beforeSeq === null ? Prisma.sql`TRUE` : Prisma.sql`m."seq" < ${beforeSeq}`}
      ORDER BY m."seq" DESC
      LIMIT ${limit}`;
    return rows.reverse().map(toMessage);
  }
}
