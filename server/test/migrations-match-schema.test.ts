// prisma/migrations must describe exactly prisma/schema.prisma: a schema change without its
// migration would reach no database. Also covers createMigration (`pnpm db:migrate:dev`).
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMigration,
  createTestDatabase,
  DEFAULT_PATHS,
  diffMigrationsToSchema,
  type MigrationPaths,
} from '../src/adapters/db/migrate.ts';

const POSTGRES = 'postgresql://postgres@127.0.0.1:5432/postgres';
/** Replays migrations in a temporary database there: quicker than starting a PGlite. */
const onPostgres = { kind: 'postgres', url: POSTGRES } as const;

// Each check replays every migration in the WebAssembly schema engine: CPU-bound, so a loaded
// machine needs more than the default 30 s per test.
describe('prisma/migrations', { timeout: 120_000 }, () => {
  let tmp: string;
  /** schema.prisma plus a `phone` column on Visitor. */
  let changedSchemaPath: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'migrations-test-'));
    const schema = await readFile(DEFAULT_PATHS.schemaPath, 'utf8');
    const changed = schema.replace(/(model Visitor \{\n)/, '$1  phone String?\n');
    expect(changed).not.toBe(schema);
    changedSchemaPath = path.join(tmp, 'schema.prisma');
    await writeFile(changedSchemaPath, changed);
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('match schema.prisma (replayed in PGlite and in Postgres)', async () => {
    expect(await diffMigrationsToSchema()).toBe('');
    expect(await diffMigrationsToSchema(onPostgres)).toBe('');
  });

  it('the check fails for a schema change that no migration covers', async () => {
    const sql = await diffMigrationsToSchema(onPostgres, { ...DEFAULT_PATHS, schemaPath: changedSchemaPath });
    expect(sql).toContain('ALTER TABLE "Visitor" ADD COLUMN     "phone" TEXT;');
  });

  it('are in the format createMigration writes: a from-scratch migration builds the same schema, and the lock file byte for byte', async () => {
    const paths: MigrationPaths = { migrationsDir: path.join(tmp, 'from-scratch'), schemaPath: DEFAULT_PATHS.schemaPath };
    const db = await createTestDatabase();
    try {
      const created = await createMigration('init', db.url, paths);
      expect(created).toMatch(/^\d{14}_init$/);
      const [committed] = await migrationFolders(DEFAULT_PATHS.migrationsDir);
      expect(committed).toMatch(/^\d{14}_init$/);
      expect(await diffMigrationsToSchema(onPostgres, paths)).toBe('');
      expect(await readFile(path.join(paths.migrationsDir, 'migration_lock.toml'), 'utf8')).toBe(
        await readFile(path.join(DEFAULT_PATHS.migrationsDir, 'migration_lock.toml'), 'utf8'),
      );
    } finally {
      await db.drop();
    }
  });

  // Four schema-engine runs, each replaying every migration on a shadow database: past the 30 s
  // default on this 2-core machine at load ~17 (the other tests here take one or two).
  it('createMigration adds a migration for a schema change, after which the check passes', { timeout: 90_000 }, async () => {
    const paths: MigrationPaths = { migrationsDir: path.join(tmp, 'copy'), schemaPath: changedSchemaPath };
    await cp(DEFAULT_PATHS.migrationsDir, paths.migrationsDir, { recursive: true });
    const before = await migrationFolders(paths.migrationsDir);
    const expected = await diffMigrationsToSchema(onPostgres, paths);
    // A development database that is behind: createMigration first applies what is pending.
    const db = await createTestDatabase();
    try {
      const created = await createMigration('visitor_phone', db.url, paths);
      expect(created).toMatch(/^\d{14}_visitor_phone$/);
      expect(await migrationFolders(paths.migrationsDir)).toEqual([...before, created]);
      expect(await readFile(path.join(paths.migrationsDir, created!, 'migration.sql'), 'utf8')).toBe(expected);
      expect(await diffMigrationsToSchema(onPostgres, paths)).toBe('');
      expect(await createMigration('again', db.url, paths)).toBeNull();
    } finally {
      await db.drop();
    }
  });
});

async function migrationFolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}
