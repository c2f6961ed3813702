import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from './src/adapters/db/database.ts';
import { createTestDatabase } from './src/adapters/db/migrate.ts';
import { PrismaStore } from './src/adapters/db/prisma-store.ts';
import { Prisma } from './src/generated/prisma/client.ts';
const t = await createTestDatabase();
const db = await openDatabase({ url: t.url, dataDir: '/tmp' });
const store = new PrismaStore(db.prisma);
const site = await store.upsertSite({ key: 'k', name: 'n', allowedOrigins: [] } as any);
const first = await store.receiveVisitorMessage({ siteId: site.id, visitorExternalId: 'v1', channel: 'WIDGET', text: 'hello', clientMessageId: null });
const conversationId = first.message.conversationId;
const pool = new pg.Pool({ connectionString: t.url });
let i = 0;
const stmt = () => { const now = new Date(); return Prisma.sql`
      WITH next AS (
        SELECT * FROM "Conversation" WHERE "id" = ${conversationId} AND "status" IN ('BOT', 'WAITING', 'OPERATOR')
      ), ins AS (
        INSERT INTO "Message" ("id", "createdAt", "conversationId", "seq", "author", "text", "clientMessageId")
        SELECT ${randomUUID()}, ${now}, next."id", COALESCE((SELECT max(x."seq") FROM "Message" x WHERE x."conversationId" = next."id"), 0) + 1,
               'VISITOR'::"AuthorKind", ${'Сколько стоит тариф и как оплатить картой? ' + i++}, ${null}
        FROM next
        RETURNING *
      )
      SELECT
        (SELECT row_to_json(ins) FROM ins) AS "message",
        (SELECT row_to_json(x) FROM (
           SELECT next.*, v."externalId" AS "visitorExternalId", v."name" AS "visitorName"
           FROM next JOIN "Visitor" v ON v."id" = next."visitorId") x) AS "conversation",
        (SELECT json_agg(h ORDER BY h."seq") FROM (
           SELECT * FROM "Message" WHERE "conversationId" = ${conversationId} AND "author" = 'VISITOR'
           ORDER BY "seq" DESC LIMIT ${11}) h) AS "history",
        (SELECT row_to_json(b) FROM (
           SELECT "templateKey", "createdAt" FROM "Message"
           WHERE "conversationId" = ${conversationId} AND "author" = 'BOT' AND "templateKey" IS NOT NULL
           UNION ALL
           SELECT "templateKey", "createdAt" FROM "PendingReply"
           WHERE "conversationId" = ${conversationId} AND "status" = 'PENDING' AND "templateKey" IS NOT NULL
           ORDER BY "createdAt" DESC LIMIT 1) b) AS "lastBot"`; };
const N = 800;
async function bench(label: string, f: () => Promise<unknown>) {
  for (let k = 0; k < 100; k++) await f();
  globalThis.gc!();
  const h0 = process.memoryUsage().heapUsed; const c0 = process.cpuUsage(); const w0 = performance.now();
  for (let k = 0; k < N; k++) await f();
  const c = process.cpuUsage(c0);
  console.log(label, 'KB/call', ((process.memoryUsage().heapUsed - h0) / N / 1024).toFixed(1), 'cpu us/call', ((c.user + c.system) / N).toFixed(0), 'wall us', ((performance.now() - w0) * 1000 / N).toFixed(0));
}
for (let r = 0; r < 2; r++) {
  await bench('prisma append', () => db.prisma.$queryRaw(stmt()));
  await bench('pg     append', () => { const s = stmt(); return pool.query(s.text, s.values.map((v) => (v instanceof Date ? v.toISOString() : v))); });
}
await pool.end(); await db.close(); await t.drop();
