// An empty database of each kind the server runs on, for tests that apply migrations themselves:
// a fresh Postgres database (dropped at close) or an in-memory PGlite.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../../src/generated/prisma/client.ts';
import { createTestDatabase, type DatabaseTarget } from '../../src/adapters/db/migrate.ts';

export interface EmptyDatabase {
  target: DatabaseTarget;
  /** One statement, its rows. */
  query<T>(sql: string): Promise<T[]>;
  /** Several statements, no rows. */
  exec(sql: string): Promise<void>;
  /** A new client; the caller disconnects it. */
  prisma(): PrismaClient;
  close(): Promise<void>;
}

export const emptyDatabases: Record<'postgres' | 'pglite', () => Promise<EmptyDatabase>> = {
  async postgres() {
    const db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    return {
      target: { kind: 'postgres', url: db.url },
      query: async (sql) => (await client.query(sql)).rows,
      exec: async (sql) => void (await client.query(sql)),
      prisma: () => new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) }),
      close: async () => {
        await client.end();
        await db.drop();
      },
    };
  },
  async pglite() {
    const pglite = new PGlite(); // in memory
    return {
      target: { kind: 'pglite', pglite },
      query: async <T,>(sql: string) => (await pglite.query<T>(sql)).rows,
      exec: async (sql) => void (await pglite.exec(sql)),
      prisma: () => new PrismaClient({ adapter: new PrismaPGlite(pglite) }),
      close: () => pglite.close(),
    };
  },
};
