/**
 * Opens the database: Postgres through @prisma/adapter-pg when DATABASE_URL is set, otherwise
 * the embedded PGlite (data under DATA_DIR). Migrations are applied before the client is used.
 */
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PrismaClient } from '../../generated/prisma/client.ts';
import { applyMigrations } from './migrate.ts';

export interface Database {
  prisma: PrismaClient;
  kind: 'postgres' | 'pglite';
  applied: string[];
  close(): Promise<void>;
}

export async function openDatabase(options: { url?: string; dataDir: string; inMemory?: boolean; log?: boolean }): Promise<Database> {
  const log = options.log ? (['query'] as const) : [];
  if (options.url) {
    const applied = await applyMigrations({ kind: 'postgres', url: options.url });
    // pg's default pool of 10 is the bottleneck when many replies fall due together.
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: options.url, max: 20 }), log: [...log] });
    return { prisma, kind: 'postgres', applied, close: () => prisma.$disconnect() };
  }
  let dir: string | undefined;
  if (!options.inMemory) {
    dir = path.resolve(options.dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
  }
  const pglite = new PGlite(dir);
  const applied = await applyMigrations({ kind: 'pglite', pglite });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite), log: [...log] });
  return {
    prisma,
    kind: 'pglite',
    applied,
    close: async () => {
      await prisma.$disconnect();
      // PGlite must be closed cleanly or its data directory may be damaged.
      await pglite.close();
    },
  };
}
