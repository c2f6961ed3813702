/**
 * `pnpm bench inbox` (analytics part): the analytics page's numbers for a 30-day period over
 * 100,000 conversations of one site on Postgres (goal ≤ 500 ms). The conversations — a third
 * handed to operators, some answered, resolved and rated — are written by SQL in one go, spread
 * over 90 days, so the period reads about a third of them; another site's conversations sit
 * beside them. Prints the median and the worst of 20 runs.
 */
import pg from 'pg';
import { openDatabase } from '../server/src/adapters/db/database.ts';
import { createTestDatabase } from '../server/src/adapters/db/migrate.ts';
import { PrismaAnalytics } from '../server/src/adapters/db/prisma-analytics.ts';
import { ms, summarize } from './percentiles.ts';

const CONVERSATIONS = 100_000;
const RUNS = 20;
const DAY_MS = 86_400_000;

export async function runAnalyticsBench(): Promise<void> {
  const database = await createTestDatabase();
  const db = await openDatabase({ url: database.url, dataDir: '' });
  try {
    const now = Date.parse('2026-12-01T00:00:00Z');
    const sites = await Promise.all(
      ['bench-analytics', 'bench-other'].map((key) => db.prisma.site.create({ data: { key, name: key, allowedOrigins: [] } })),
    );
    const operator = await db.prisma.operator.create({ data: { email: 'bench@example.com', name: 'Bench', passwordHash: 'x' } });
    const started = performance.now();
    // Seeding takes longer than the server pool's 4 s statement limit: a plain connection of its own.
    const seeder = new pg.Client({ connectionString: database.url });
    await seeder.connect();
    try {
      for (const [index, site] of sites.entries()) await seed(seeder, site.id, operator.id, index === 0 ? CONVERSATIONS : CONVERSATIONS / 4, now);
    } finally {
      await seeder.end();
    }
    console.log(`seeded ${CONVERSATIONS.toLocaleString('en')} conversations (+${(CONVERSATIONS / 4).toLocaleString('en')} of another site) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const analytics = new PrismaAnalytics(db.prisma);
    const period = { from: new Date(now - 30 * DAY_MS), to: new Date(now), timeZone: 'Europe/Moscow' };
    const first = await analytics.analytics(sites[0]!.id, period); // warms the caches and plans
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await analytics.analytics(sites[0]!.id, period);
      samples.push(performance.now() - t);
    }
    const { p50, max } = summarize(samples);
    console.log(`30-day period: ${first.conversations.toLocaleString('en')} conversations, deflection ${((first.deflectionRate ?? 0) * 100).toFixed(1)}%, first response median ${first.firstResponse.medianSeconds} s`);
    console.log(`analytics, 30 days over ${CONVERSATIONS.toLocaleString('en')} conversations (Postgres): median ${ms(p50)}, worst of ${RUNS} ${ms(max)} (goal ≤ 500 ms)`);
  } finally {
    await db.close();
    await database.drop();
  }
}

/** Visitors, conversations and their messages by `generate_series`: one statement per table. */
async function seed(client: pg.Client, siteId: string, operatorId: string, count: number, now: number): Promise<void> {
  const start = new Date(now - 90 * DAY_MS).toISOString();
  await client.query(
    `INSERT INTO "Visitor" ("id", "siteId", "externalId") SELECT gen_random_uuid()::text, $1, 'bench-' || $1 || '-' || i FROM generate_series(1, $2::int) i`,
    [siteId, count],
  );
  // Every third conversation is handed over; of those, most answered after 1–10 min and resolved, some rated.
  await client.query(
    `INSERT INTO "Conversation" ("id", "createdAt", "updatedAt", "siteId", "visitorId", "status", "escalationReason", "escalatedAt", "ownerId", "resolvedAt", "rating")
     SELECT gen_random_uuid()::text, t.at, t.at, $1, v."id",
            (CASE WHEN t.n % 3 <> 0 THEN 'BOT' WHEN t.n % 9 = 0 THEN 'WAITING' ELSE 'RESOLVED' END)::"ConversationStatus",
            CASE WHEN t.n % 3 <> 0 THEN NULL WHEN t.n % 2 = 0 THEN 'human_request' WHEN t.n % 5 = 0 THEN 'complaint' ELSE 'repeat:BILLING×3' END,
            CASE WHEN t.n % 3 = 0 THEN t.at + interval '30 seconds' END,
            CASE WHEN t.n % 3 = 0 AND t.n % 9 <> 0 THEN $2 END,
            CASE WHEN t.n % 3 = 0 AND t.n % 9 <> 0 THEN t.at + (t.n % 50 + 5) * interval '1 minute' END,
            CASE WHEN t.n % 4 = 0 THEN t.n % 5 + 1 END
     FROM (SELECT "id", row_number() OVER (ORDER BY "externalId") AS n FROM "Visitor" WHERE "siteId" = $1) v
     CROSS JOIN LATERAL (SELECT v.n AS n, $3::timestamp + (v.n * 7919 % (90 * 86400)) * interval '1 second' AS at) t`,
    [siteId, operatorId, start],
  );
  // A visitor message and a bot reply in every conversation, an operator message in the answered ones.
  await client.query(
    `INSERT INTO "Message" ("id", "createdAt", "conversationId", "seq", "author", "text", "category")
     SELECT gen_random_uuid()::text, c."createdAt" + m.seq * interval '5 seconds', c."id", m.seq, m.author::"AuthorKind", 'bench', 'BILLING'
     FROM "Conversation" c CROSS JOIN (VALUES (1, 'VISITOR'), (2, 'BOT')) m(seq, author) WHERE c."siteId" = $1`,
    [siteId],
  );
  await client.query(
    `INSERT INTO "Message" ("id", "createdAt", "conversationId", "seq", "author", "text", "operatorId")
     SELECT gen_random_uuid()::text, c."escalatedAt" + (60 + (abs(hashtext(c."id")) % 540)) * interval '1 second', c."id", 3, 'OPERATOR', 'bench', $2
     FROM "Conversation" c WHERE c."siteId" = $1 AND c."ownerId" IS NOT NULL`,
    [siteId, operatorId],
  );
  await client.query(`ANALYZE "Conversation"`);
  await client.query(`ANALYZE "Message"`);
}
