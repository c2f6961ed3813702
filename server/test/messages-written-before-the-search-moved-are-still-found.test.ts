// The inbox search's words moved from their own table (MessageSearch) onto the message (migration
// search_words_on_the_message). A database upgraded across that migration must find the messages
// it already held, by their words and in their site only, and still skip the bot's replies.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { applyMigrations, DEFAULT_PATHS } from '../src/adapters/db/migrate.ts';
import { PrismaInbox } from '../src/adapters/db/prisma-inbox.ts';
import { emptyDatabases, type EmptyDatabase } from './support/empty-databases.ts';

const MOVED = '20261202150000_search_words_on_the_message';

describe.each(['postgres', 'pglite'] as const)('messages written before the search moved onto the message, on %s', (kind) => {
  let db: EmptyDatabase;
  let prisma: PrismaClient;
  let before: string;

  beforeAll(async () => {
    db = await emptyDatabases[kind]();
    prisma = db.prisma();
    // The migrations as they were before the move, applied, with messages written then.
    before = await mkdtemp(path.join(tmpdir(), 'migrations-before-'));
    for (const entry of await readdir(DEFAULT_PATHS.migrationsDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name < MOVED) await cp(path.join(DEFAULT_PATHS.migrationsDir, entry.name), path.join(before, entry.name), { recursive: true });
    }
    await applyMigrations(db.target, { ...DEFAULT_PATHS, migrationsDir: before });
    await db.exec(`
      INSERT INTO "Site" ("id", "updatedAt", "key", "name", "allowedOrigins") VALUES ('site-a', now(), 'a', 'A', '{}'), ('site-b', now(), 'b', 'B', '{}');
      INSERT INTO "Visitor" ("id", "siteId", "externalId") VALUES ('v-a', 'site-a', 'va'), ('v-b', 'site-b', 'vb');
      INSERT INTO "Conversation" ("id", "updatedAt", "siteId", "visitorId") VALUES ('c-a', now(), 'site-a', 'v-a'), ('c-b', now(), 'site-b', 'v-b');
      INSERT INTO "Message" ("id", "conversationId", "seq", "author", "text") VALUES
        ('m-a1', 'c-a', 1, 'VISITOR', 'роутер мигает красным'),
        ('m-a2', 'c-a', 2, 'BOT', 'Перезагрузите роутер'),
        ('m-b1', 'c-b', 1, 'VISITOR', 'my router is dead');`);
    expect(await applyMigrations(db.target)).toEqual([MOVED]);
  }, 120_000);
  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.close();
    if (before) await rm(before, { recursive: true, force: true });
  });

  it('finds them by their words in their own site, and not the bot’s reply', async () => {
    const inbox = new PrismaInbox(prisma);
    const ids = async (siteIds: string[], text: string) => (await inbox.search({ siteIds }, text, null, 50)).map((hit) => hit.message.id);
    expect(await ids(['site-a'], 'роутеры')).toEqual(['m-a1']);
    expect(await ids(['site-b'], 'routers')).toEqual(['m-b1']);
    expect(await ids(['site-b'], 'роутеры')).toEqual([]);
  });

  it('finds a message written after the upgrade alike', async () => {
    await db.exec(`INSERT INTO "Message" ("id", "conversationId", "seq", "author", "text") VALUES ('m-a3', 'c-a', 3, 'OPERATOR', 'заменим роутер завтра')`);
    const hits = await new PrismaInbox(prisma).search({ siteIds: ['site-a'] }, 'роутеры', null, 50);
    expect(hits.map((hit) => hit.message.id).sort()).toEqual(['m-a1', 'm-a3']);
  });
});
