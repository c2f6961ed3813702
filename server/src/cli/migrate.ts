/**
 * Prisma Migrate for this project, offline (the Prisma 7 CLI needs its downloaded native engine;
 * this runs Prisma's WebAssembly engine instead, on the same prisma/migrations folder):
 *
 *   pnpm db:migrate          apply pending migrations: to DATABASE_URL if set, else to the
 *                            embedded PGlite in ${DATA_DIR:-.data}/pglite (as the server does)
 *   pnpm db:migrate:dev NAME create prisma/migrations/<timestamp>_NAME from the changes in
 *                            schema.prisma; uses DATABASE_URL as the development database, or a
 *                            temporary database on the local Postgres when it is not set
 *   pnpm db:diff             print the SQL between the migrations and schema.prisma; exit code 2
 *                            when they differ (a migration is missing), 0 when in sync
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { applyMigrations, createMigration, diffMigrationsToSchema } from '../adapters/db/migrate.ts';
import { createTemporaryDatabase } from '../adapters/db/schema-engine.ts';

async function deploy(): Promise<number> {
  const url = process.env.DATABASE_URL;
  let applied: string[];
  if (url) {
    applied = await applyMigrations({ kind: 'postgres', url });
  } else {
    const dir = path.resolve(process.env.DATA_DIR || '.data', 'pglite');
    await mkdir(dir, { recursive: true });
    const pglite = new PGlite(dir);
    try {
      applied = await applyMigrations({ kind: 'pglite', pglite });
    } finally {
      await pglite.close(); // an unclosed PGlite may leave its data directory damaged
    }
  }
  console.log(applied.length ? `Applied:\n${applied.map((name) => `  ${name}`).join('\n')}` : 'No pending migrations.');
  return 0;
}

async function dev(rawName: string | undefined): Promise<number> {
  // Prisma's CLI makes the same snake_case name from a free-form --name.
  const name = rawName?.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!name) {
    console.error('usage: pnpm db:migrate:dev <name>');
    return 1;
  }
  const temporary = process.env.DATABASE_URL
    ? undefined
    : await createTemporaryDatabase('postgresql://postgres@127.0.0.1:5432/postgres', 'migrate_dev');
  try {
    const created = await createMigration(name, process.env.DATABASE_URL ?? temporary!.url);
    console.log(created ? `Created prisma/migrations/${created}/migration.sql` : 'schema.prisma needs no new migration.');
    return 0;
  } finally {
    await temporary?.drop();
  }
}

async function diff(): Promise<number> {
  const sql = await diffMigrationsToSchema();
  if (!sql) {
    console.log('prisma/migrations and schema.prisma are in sync.');
    return 0;
  }
  process.stdout.write(sql);
  console.error('\nschema.prisma has changes no migration covers: run `pnpm db:migrate:dev <name>`.');
  return 2;
}

const [command, arg] = process.argv.slice(2);
const commands: Record<string, () => Promise<number>> = { deploy, dev: () => dev(arg), diff };
if (!command || !Object.hasOwn(commands, command)) {
  console.error('usage: migrate.ts deploy | dev <name> | diff');
  process.exitCode = 1;
} else {
  commands[command]!().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
