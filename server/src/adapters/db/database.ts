/**
 * Opens the database: Postgres through @prisma/adapter-pg when DATABASE_URL is set, otherwise
 * the embedded PGlite (data under DATA_DIR), run in a worker thread (embedded.ts).
 * Migrations are applied before the client is used.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg, { type PoolConfig } from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../../generated/prisma/client.ts';
import { openEmbedded, type EmbeddedDatabase } from './embedded.ts';
import { applyMigrations } from './migrate.ts';
import { pgliteStatements, poolStatements, type Statements } from './statements.ts';

export interface Database {
  prisma: PrismaClient;
  /** The store's hand-written statements (statements.ts): straight to the driver, the pool or PGlite. */
  statements: Statements;
  kind: 'postgres' | 'pglite';
  applied: string[];
  close(): Promise<void>;
}

/**
 * Postgres that is down or cut off must cost a request seconds, not minutes: a visitor's send is
 * answered with an error within 5 s (issue 8), so no single wait may exceed ~4 s.
 */
function postgresPool(connectionString: string): PoolConfig {
  return {
    connectionString,
    // pg's default pool of 10 is the bottleneck when many replies fall due together.
    max: 20,
    // Waiting for a pool slot or a new connection (a partition accepts nothing and says nothing).
    connectionTimeoutMillis: 2_500,
    // Client side: a query whose answer never comes (partition) fails here …
    query_timeout: 4_000,
    // … and the server stops working on it too, so its locks go with it.
    statement_timeout: 4_000,
    // A transaction whose client vanished mid-way must not hold its row locks for long.
    idle_in_transaction_session_timeout: 10_000,
    idleTimeoutMillis: 10_000,
    // Half-open connections (the peer gone without a FIN) are found by the OS, not by a hung query.
    keepAlive: true,
  };
}

export interface OpenDatabaseOptions {
  url?: string;
  dataDir: string;
  inMemory?: boolean;
  log?: boolean;
  /** A pooled Postgres connection broke (idle or in a transaction); the pool replaces it. */
  onConnectionError?: (error: Error) => void;
  /** Where the embedded PGlite runs: its own worker thread (default), or this one (benchmarks compare). */
  pgliteThread?: 'worker' | 'main';
  /** The embedded database, already being opened (the process entry starts it first); else opened here. */
  embedded?: Promise<EmbeddedDatabase>;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const log = options.log ? (['query'] as const) : [];
  if (options.url) {
    const applied = await applyMigrations({ kind: 'postgres', url: options.url });
    // One pool for Prisma and the store's own statements; Prisma ends it on disconnect.
    const pool = new pg.Pool(postgresPool(options.url));
    const adapter = new PrismaPg(pool, { onPoolError: options.onConnectionError, onConnectionError: options.onConnectionError, disposeExternalPool: true });
    const prisma = new PrismaClient({ adapter, log: [...log] });
    return { prisma, statements: poolStatements(pool), kind: 'postgres', applied, close: () => prisma.$disconnect() };
  }
  const opening = options.embedded ?? openEmbedded({ dataDir: options.dataDir, inMemory: options.inMemory ?? false, thread: options.pgliteThread ?? 'worker' });
  // Prisma's client is made and connected while PGlite opens: connecting loads its query compiler
  // (~0.5 s of this thread's CPU: 4.6 MB of WebAssembly as base64, then the schema), and opening
  // PGlite on its worker leaves this thread idle. Connecting sends no SQL; a query waits for PGlite.
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(onceOpen(opening)), log: [...log] });
  const connecting = prisma.$connect();
  connecting.catch(() => undefined); // awaited below, once the database is open
  const embedded = await opening;
  const { pglite, prepared } = embedded;
  const applied = await applyMigrations({ kind: 'pglite', pglite })
    .then(async (names) => {
      await connecting;
      return names;
    })
    .catch(async (error: unknown) => {
      await embedded.close().catch(() => undefined);
      throw error;
    });
  return {
    prisma,
    statements: pgliteStatements(prepared),
    kind: 'pglite',
    applied,
    close: async () => {
      await prisma.$disconnect();
      await embedded.close();
    },
  };
}

/**
 * The calls pglite-prisma-adapter makes on its PGlite (`query`, `exec`, `transaction`), each made
 * once the embedded database has opened.
 */
function onceOpen(opening: Promise<EmbeddedDatabase>): PGlite {
  const open = async () => (await opening).pglite;
  return {
    query: async (...args: Parameters<PGlite['query']>) => (await open()).query(...args),
    exec: async (...args: Parameters<PGlite['exec']>) => (await open()).exec(...args),
    transaction: async (...args: Parameters<PGlite['transaction']>) => (await open()).transaction(...args),
  } as unknown as PGlite;
}
