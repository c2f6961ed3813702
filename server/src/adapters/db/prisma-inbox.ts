/**
 * The inbox's reads on Prisma, in SQL that runs the same on Postgres and on the embedded PGlite
 * (both ship Postgres's Snowball dictionaries).
 *
 * Every read is newest first, keyset-paginated by (createdAt, id), over several sites and
 * statuses. Postgres cannot walk one index in that order across several `siteId`/`status`
 * values, so each (site, status) is its own ordered branch over its index, and a Merge Append of
 * the branches reads only as many rows as the page needs — instead of sorting every match.
 *
 * Search reads the words and site a trigger stores on each searchable message (`searchVector`,
 * `searchSiteId`; migration `search_words_on_the_message`) in two steps: first the newest `searchWindow` messages of the sites are
 * walked and matched, which finds a page of a common word after a few hundred rows; a word too
 * rare to fill the page there is looked up in the GIN index, whose matches are then few. The
 * planner cannot choose between the two by itself: its estimate for a word it has no statistics
 * on (an order number) is a fixed fraction, and for two words it multiplies their frequencies.
 */
import type { Category, QueueItem } from '@support-chat/protocol';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type { InboxCursor, InboxRepo, InboxScope, StoredMessage } from '../../services/ports.ts';
import { toMessage, type MessageRow } from './prisma-store.ts';

export interface PrismaInboxOptions {
  /**
   * Messages a search walks, newest first, before it turns to the GIN index: a word in more than
   * about limit/searchWindow of the messages (1 in 40 for a page of 50) is found in the walk.
   */
  searchWindow: number;
}
const DEFAULTS: PrismaInboxOptions = { searchWindow: 2000 };
/** Russian and English at once, as the stored vectors are (`message_search_vector`). */
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

/** The filters' conditions on the conversations `c` (the sites are the branches'). */
function filterConditions(scope: InboxScope): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (scope.priority) where.push(Prisma.sql`c."priority" = ${scope.priority}::"Priority"`);
  if (scope.channel) where.push(Prisma.sql`c."channel" = ${scope.channel}::"Channel"`);
  if (scope.intent) where.push(Prisma.sql`c."intent" = ${scope.intent}`);
  return where;
}

const all = (conditions: Prisma.Sql[]) => (conditions.length === 0 ? Prisma.sql`TRUE` : Prisma.join(conditions, ' AND '));

/** One ordered branch per key, merged: `(SELECT … LIMIT n) UNION ALL (…) ORDER BY … LIMIT n`. */
function merged(branches: Prisma.Sql[], order: Prisma.Sql, limit: number): Prisma.Sql {
  if (branches.length === 1) return branches[0]!; // already ordered and limited (and SQL allows one ORDER BY there)
  return Prisma.sql`${Prisma.join(branches.map((branch) => Prisma.sql`(${branch})`), ' UNION ALL ')} ORDER BY ${order} LIMIT ${limit}`;
}

export class PrismaInbox implements InboxRepo {
  private readonly options: PrismaInboxOptions;

  constructor(
    private readonly db: PrismaClient,
    options: Partial<PrismaInboxOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  async conversations(
    scope: InboxScope & { statuses: readonly QueueItem['status'][]; ownerId?: string },
    after: InboxCursor | null,
    limit: number,
  ): Promise<QueueItem[]> {
    if (scope.siteIds?.length === 0 || scope.statuses.length === 0) return [];
    const where = filterConditions(scope);
    if (scope.ownerId) where.push(Prisma.sql`c."ownerId" = ${scope.ownerId}`);
    if (after) where.push(Prisma.sql`(c."createdAt", c."id") < (${after.createdAt}, ${after.id})`);
    // Owners read every site: one branch per status over (status, createdAt, id).
    const sites: Array<string | null> = scope.siteIds ? [...scope.siteIds] : [null];
    const branches = sites.flatMap((siteId) =>
      scope.statuses.map(
        (status) => Prisma.sql`SELECT c."id", c."createdAt" FROM "Conversation" c
          WHERE ${siteId === null ? Prisma.sql`TRUE` : Prisma.sql`c."siteId" = ${siteId}`} AND c."status" = ${status}::"ConversationStatus" AND ${all(where)}
          ORDER BY c."createdAt" DESC, c."id" DESC LIMIT ${limit}`,
      ),
    );
    // One statement: the page's ids in a materialized CTE (planned on its own, as the ids query
    // alone would be: joined into the branches, planning took ten times longer), then its rows.
    const rows = await this.db.$queryRaw<ItemRow[]>`
      WITH page AS MATERIALIZED (${merged(branches, Prisma.sql`"createdAt" DESC, "id" DESC`, limit)})
      SELECT ${ITEM_COLUMNS} FROM page p JOIN "Conversation" c ON c."id" = p."id" ${ITEM_JOINS}
      ORDER BY c."createdAt" DESC, c."id" DESC`;
    return rows.map(toItem);
  }

  async search(scope: InboxScope, text: string, after: InboxCursor | null, limit: number): Promise<Array<{ item: QueueItem; message: StoredMessage }>> {
    const siteIds = scope.siteIds ?? (await this.db.site.findMany({ select: { id: true } })).map((site) => site.id);
    if (siteIds.length === 0) return [];
    const filters = filterConditions(scope);
    // The filters are the conversation's: only then is it joined.
    const conversation = filters.length === 0 ? Prisma.empty : Prisma.sql`JOIN "Conversation" c ON c."id" = s."conversationId"`;
    const before = after ? Prisma.sql`(s."createdAt", s."id") < (${after.createdAt}, ${after.id})` : Prisma.sql`TRUE`;
    const order = Prisma.sql`"createdAt" DESC, "id" DESC`;

    const window = siteIds.map(
      (siteId) => Prisma.sql`SELECT s."id", s."createdAt", s."conversationId", s."searchVector" FROM "Message" s
        WHERE s."searchSiteId" = ${siteId} AND ${before} ORDER BY s."createdAt" DESC, s."id" DESC LIMIT ${this.options.searchWindow}`,
    );
    let hits = await this.db.$queryRaw<Array<{ id: string }>>`
      SELECT s."id" FROM (${merged(window, order, this.options.searchWindow)}) s ${conversation}
      WHERE s."searchVector" @@ ${searchQuery(text)} AND ${all(filters)}
      ORDER BY s."createdAt" DESC, s."id" DESC LIMIT ${limit}`;
    if (hits.length < limit) {
      // Fewer than a page among the newest: every match of the word, from the GIN index alone —
      // a materialized CTE, so that the planner neither walks the sites' messages again for the
      // ORDER BY nor intersects the matches with every message of the sites; the sites filter after.
      hits = await this.db.$queryRaw<Array<{ id: string }>>`
        WITH hits AS MATERIALIZED (
          SELECT s."id", s."createdAt", s."conversationId", s."searchSiteId" FROM "Message" s WHERE s."searchVector" @@ ${searchQuery(text)} AND ${before}
        )
        SELECT s."id" FROM hits s ${conversation}
        WHERE s."searchSiteId" IN (${Prisma.join(siteIds)}) AND ${all(filters)}
        ORDER BY ${order} LIMIT ${limit}`;
    }
    if (hits.length === 0) return [];

    // The hits' messages and their conversations' rows at once (two connections, one wait).
    const ids = Prisma.join(hits.map((hit) => hit.id));
    const [messages, rows] = await Promise.all([
      this.db.$queryRaw<MessageRow[]>`
        SELECT ${MESSAGE_COLUMNS}, o."name" AS "operatorName" FROM "Message" m LEFT JOIN "Operator" o ON o."id" = m."operatorId"
        WHERE m."id" IN (${ids})
        ORDER BY m."createdAt" DESC, m."id" DESC`,
      this.db.$queryRaw<ItemRow[]>`
        SELECT ${ITEM_COLUMNS} FROM "Conversation" c ${ITEM_JOINS}
        WHERE c."id" IN (SELECT h."conversationId" FROM "Message" h WHERE h."id" IN (${ids}))`,
    ]);
    const byId = new Map(rows.map((row) => [row.id, toItem(row)]));
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
