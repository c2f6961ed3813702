// The server applies prisma/migrations at start, to Postgres or to the embedded PGlite, through
// Prisma's WebAssembly schema engine. It must record them exactly as Prisma Migrate does.
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, DEFAULT_PATHS } from '../src/adapters/db/migrate.ts';
import { emptyDatabases, type EmptyDatabase } from './support/empty-databases.ts';

// The schema engine is WebAssembly and replays every migration: 15-20 s of CPU for PGlite alone,
// so a loaded machine needs more than the default 30 s per test.
describe.each(['postgres', 'pglite'] as const)('applyMigrations on %s', { timeout: 120_000 }, (kind) => {
  let db: EmptyDatabase;
  let folders: string[];

  beforeAll(async () => {
    db = await emptyDatabases[kind]();
    const entries = await readdir(DEFAULT_PATHS.migrationsDir, { withFileTypes: true });
    folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    expect(folders.length).toBeGreaterThan(0);
  });
  afterAll(() => db?.close());

  it('applies every migration and records it as Prisma Migrate does', async () => {
    expect(await applyMigrations(db.target)).toEqual(folders);

    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['Site', 'Visitor', 'Conversation', 'Message', 'PendingReply', 'WebhookDelivery', 'Template', 'Operator', 'Incident']),
    );

    const rows = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null; applied_steps_count: number; logs: string | null }>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs FROM _prisma_migrations ORDER BY started_at',
    );
    expect(rows.map((row) => row.migration_name)).toEqual(folders);
    for (const row of rows) {
      const sql = await readFile(path.join(DEFAULT_PATHS.migrationsDir, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
    }
  });

  it('applies nothing the second time', async () => {
    expect(await applyMigrations(db.target)).toEqual([]);
    expect(await db.query('SELECT 1 FROM _prisma_migrations')).toHaveLength(folders.length);
  });

  it('leaves a database Prisma Client can use', async () => {
    const prisma = db.prisma();
    try {
      const created = await prisma.site.create({ data: { key: `key-${kind}`, name: 'Demo', allowedOrigins: ['https://example.com'] } });
      const read = await prisma.site.findUniqueOrThrow({ where: { key: `key-${kind}` } });
      expect(read).toEqual(created);
      expect(read.locale).toBe('ru');
      expect(read.allowedOrigins).toEqual(['https://example.com']);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('stops at a failing migration, keeps none of it and records it as failed', async () => {
    const tmp = await mkdtemp(path.join(tmpdir(), 'migrations-failing-'));
    try {
      const migrationsDir = path.join(tmp, 'migrations');
      await cp(DEFAULT_PATHS.migrationsDir, migrationsDir, { recursive: true });
      // A `;` inside a string and an error after a successful statement: the whole script must
      // run as one unit, as with the native engine.
      await mkdir(path.join(migrationsDir, '99990101000000_broken'));
      await writeFile(
        path.join(migrationsDir, '99990101000000_broken', 'migration.sql'),
        "CREATE TABLE broken (a TEXT DEFAULT 'x;y');\nSELECT 1 / 0;\n",
      );
      await expect(applyMigrations(db.target, { ...DEFAULT_PATHS, migrationsDir })).rejects.toThrow(/division by zero/);

      expect(await db.query("SELECT to_regclass('broken') AS t")).toEqual([{ t: null }]);
      const [row] = await db.query<{ finished_at: Date | null; rolled_back_at: Date | null }>(
        "SELECT finished_at, rolled_back_at FROM _prisma_migrations WHERE migration_name = '99990101000000_broken'",
      );
      expect(row).toEqual({ finished_at: null, rolled_back_at: null });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
