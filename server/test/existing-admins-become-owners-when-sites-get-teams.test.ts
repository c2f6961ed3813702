/**
 * The migration that gives sites their teams (issue 13) keeps every account's powers: an `admin`
 * of before becomes an `owner`, and an `operator` of before, who served every site, becomes an
 * operator of every existing site. Checked on a database filled before the migration, on both
 * Postgres and PGlite.
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, DEFAULT_PATHS } from '../src/adapters/db/migrate.ts';
import { emptyDatabases } from './support/empty-databases.ts';

const MIGRATION = 'sites_and_memberships';

describe.each(['postgres', 'pglite'] as const)('sites get teams on %s', (kind) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('an admin becomes an owner; an operator joins every existing site as an operator', async () => {
    const db = await emptyDatabases[kind]();
    cleanup.push(() => db.close());
    // The migrations up to the one before, as a deployment of the previous version has them.
    const folders = (await readdir(DEFAULT_PATHS.migrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const index = folders.findIndex((name) => name.endsWith(`_${MIGRATION}`));
    expect(index).toBeGreaterThan(0);
    const before = await mkdtemp(path.join(tmpdir(), 'migrations-before-'));
    cleanup.push(() => rm(before, { recursive: true, force: true }));
    await cp(path.join(DEFAULT_PATHS.migrationsDir, 'migration_lock.toml'), path.join(before, 'migration_lock.toml'));
    for (const name of folders.slice(0, index)) await cp(path.join(DEFAULT_PATHS.migrationsDir, name), path.join(before, name), { recursive: true });
    await applyMigrations(db.target, { ...DEFAULT_PATHS, migrationsDir: before });

    await db.query(`INSERT INTO "Site" ("id", "key", "name", "allowedOrigins", "updatedAt") VALUES ('s1', 'demo', 'Demo', '{}', now()), ('s2', 'shop', 'Shop', '{}', now())`);
    await db.query(`INSERT INTO "Operator" ("id", "email", "name", "role", "passwordHash", "updatedAt") VALUES
      ('o1', 'admin@example.com', 'Admin', 'admin', 'x', now()),
      ('o2', 'anna@example.com', 'Anna', 'operator', 'x', now())`);

    expect((await applyMigrations(db.target)).some((name) => name.endsWith(`_${MIGRATION}`))).toBe(true);

    expect(await db.query(`SELECT "id", "role"::text AS role FROM "Operator" ORDER BY "id"`)).toEqual([
      { id: 'o1', role: 'owner' },
      { id: 'o2', role: 'operator' },
    ]);
    expect(await db.query(`SELECT "siteId", "operatorId", "role"::text AS role FROM "SiteMembership" ORDER BY "siteId"`)).toEqual([
      { siteId: 's1', operatorId: 'o2', role: 'operator' },
      { siteId: 's2', operatorId: 'o2', role: 'operator' },
    ]);
    // Existing sites stay on, with default settings.
    expect(await db.query(`SELECT "key", "enabled", "widgetSettings", "editedAt" FROM "Site" ORDER BY "key"`)).toEqual([
      { key: 'demo', enabled: true, widgetSettings: {}, editedAt: null },
      { key: 'shop', enabled: true, widgetSettings: {}, editedAt: null },
    ]);
  });
});
