/**
 * A new embedded database (in memory, or a DATA_DIR without one) starts as a copy of the migrated
 * template, so it has every migration without running one; an existing DATA_DIR is opened as it
 * is; and a template made for other migrations is not used.
 */
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openEmbedded } from './embedded.ts';
import { applyMigrations } from './migrate.ts';
import { DEFAULT_PATHS } from './migration-paths.ts';
import { currentTemplate, currentTemplateDir } from './pglite-template.ts';

let scratch: string;
let migrations: string[];
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'template-test-'));
  migrations = (await readdir(DEFAULT_PATHS.migrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

const appliedNames = async (db: Awaited<ReturnType<typeof openEmbedded>>) =>
  (await db.pglite.query<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1')).rows.map((r) => r.migration_name);

it('has a template for the migrations of this tree, as a tarball and unpacked (the run set-up made them)', async () => {
  expect(await currentTemplate()).not.toBeNull();
  expect(await currentTemplateDir()).not.toBeNull();
});

it('opens a new in-memory database with every migration applied and nothing left to apply', async () => {
  const db = await openEmbedded({ dataDir: scratch, inMemory: true });
  try {
    expect(await appliedNames(db)).toEqual(migrations);
    expect(await applyMigrations({ kind: 'pglite', pglite: db.pglite })).toEqual([]);
  } finally {
    await db.close();
  }
});

it('makes a new DATA_DIR from the template and opens it as it is the next time', async () => {
  const dataDir = path.join(scratch, 'data');
  const first = await openEmbedded({ dataDir });
  try {
    expect(await appliedNames(first)).toEqual(migrations);
    await first.pglite.exec("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('written before the restart')");
  } finally {
    await first.close();
  }
  const second = await openEmbedded({ dataDir });
  try {
    expect((await second.pglite.query<{ note: string }>('SELECT note FROM kept')).rows).toEqual([{ note: 'written before the restart' }]);
  } finally {
    await second.close();
  }
});

it('does not use a template made for other migrations', async () => {
  const migrationsDir = path.join(scratch, 'migrations');
  await cp(DEFAULT_PATHS.migrationsDir, migrationsDir, { recursive: true });
  await mkdir(path.join(migrationsDir, '29990101000000_later'));
  await writeFile(path.join(migrationsDir, '29990101000000_later', 'migration.sql'), 'CREATE TABLE later (id int);');
  expect(await currentTemplate(migrationsDir)).toBeNull();
  expect(await currentTemplateDir(migrationsDir)).toBeNull();
});
