// Prisma's schema engine (the part of Prisma Migrate that diffs schemas and applies migrations),
// run as WebAssembly over driver adapters. The Prisma 7 CLI only runs the native engine, which it
// downloads before every command and so cannot work offline; this module is what we use instead.
// The engine's JS API is internal to Prisma: the package version is pinned and covered by tests.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';

export type { SchemaEngine, MigrationList } from '@prisma/schema-engine-wasm';

export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  // `asShadow`: the instance is an empty throwaway, so the engine may also use it as its shadow
  // database instead of starting a second PGlite (which costs ~1.5 s).
  | { kind: 'pglite'; pglite: PGlite; asShadow?: boolean };

let wasmLoaded: Promise<void> | undefined;

// The package's entry does `import * as wasm from './schema_engine_bg.wasm'`, which Node 20 cannot
// load (ERR_UNKNOWN_FILE_EXTENSION). So we compile the .wasm ourselves and hand it to the package's
// JS glue, which is what that entry does. Done once per process, when first needed (0.1–0.3 s).
function loadWasm(): Promise<void> {
  wasmLoaded ??= (async () => {
    // The glue reports Rust panics through this global (Prisma's CLI installs the same object).
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
    let panic = '';
    g.PRISMA_WASM_PANIC_REGISTRY ??= {
      get: () => panic,
      set_message: (message: string) => (panic = `RuntimeError: ${message}`),
    };
    const glue = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(path.dirname(glue), 'schema_engine_bg.wasm'));
    // The engine arms a timer around its work (e.g. the 10 s migration-lock timeout) and never
    // clears it (the glue has no clearTimeout), which would keep the process alive for 10 s after
    // every migration. Unreferenced, such a timer still fires but no longer holds the process.
    const imports: WebAssembly.ModuleImports = { ...(bindings as unknown as WebAssembly.ModuleImports) };
    for (const name of Object.keys(imports).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
      imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': imports });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return wasmLoaded;
}

/**
 * Starts an engine on `target` with `schema` (path and text of schema.prisma) as its datamodel.
 * `close()` frees it and its connections (the engine itself never disposes of what it connects).
 */
export async function startSchemaEngine(
  target: DatabaseTarget,
  schema: { path: string; content: string },
): Promise<{ engine: SchemaEngine; close(): Promise<void> }> {
  await loadWasm();
  const factory = target.kind === 'postgres' ? postgresFactory(target.url) : pgliteFactory(target.pglite, target.asShadow);
  const connections: SqlDriverAdapter[] = [];
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    connections.push(adapter);
    return adapter;
  };
  // The engine speaks to adapters through this wrapper (it turns thrown errors into results).
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const ignoreLogs = () => {}; // errors reach us as rejected promises; the logs are only tracing
  const engine = await bindings.SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, ignoreLogs, adapter)
    .catch((error: unknown) => { throw asError(error); });
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(connections.map((connection) => connection.dispose()));
    },
  };
}

/** Engine calls reject with plain objects or strings; make them Errors with a readable message. */
export function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  const e = error as { message?: string; error_code?: string } | string;
  if (typeof e === 'string') return new Error(e);
  return new Error(e?.error_code ? `${e.error_code}: ${e.message}` : (e?.message ?? JSON.stringify(error)));
}

function postgresFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const connect = async (connectionString: string) => fixPgAdapter(await new PrismaPg({ connectionString }).connect());
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => connect(url),
    // adapter-pg 7.10.1's own shadow database is dropped while its pool is still connected (so the
    // DROP fails and the database stays behind). Create one ourselves and drop it after closing.
    async connectToShadowDb() {
      const shadow = await createTemporaryDatabase(url, 'prisma_shadow');
      const adapter = await connect(shadow.url);
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await shadow.drop();
      };
      return adapter;
    },
  };
}

// Postgres's internal one-byte `"char"` type (OID 18, array 1002) appears in the catalog queries
// the engine runs (pg_class.relkind, pg_constraint.contype, ...); adapter-pg 7.10.1 refuses OID 18
// and mislabels the array. Its values are plain strings, so call those columns text / text[].
const CHAR_AS_TEXT = new Map([[18, 25], [1002, 1009]]);
const parseTextArray = pg.types.getTypeParser(1009 as Parameters<typeof pg.types.getTypeParser>[0]); // text[]

type PgResult = { fields: { dataTypeID: number }[]; rows: unknown[][] };
type PerformIO = (query: unknown) => Promise<PgResult>;

function fixPgAdapter<T extends SqlDriverAdapter>(adapter: T): T {
  relabelCharColumns(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => relabelCharColumns(await startTransaction(isolationLevel));
  // adapter-pg splits scripts on every `;` (breaking any `;` inside a string or a function body)
  // and runs the pieces one by one. Send the script whole, as the native engine does: Postgres
  // then runs a multi-statement simple query in one implicit transaction, so a failing migration
  // leaves nothing half-applied.
  const pool = (adapter as unknown as { client: pg.Pool }).client;
  adapter.executeScript = async (script) => {
    await pool.query(script).catch((error: unknown) => reportError(adapter, error));
  };
  return adapter;
}

/** Throws `error` the way the adapter's own methods do (mapped to a Postgres error the engine reads). */
function reportError(adapter: SqlDriverAdapter, error: unknown): never {
  return (adapter as unknown as { onError(e: unknown): never }).onError(error);
}

function relabelCharColumns<T>(queryable: T): T {
  const q = queryable as unknown as { performIO: PerformIO };
  const performIO = q.performIO.bind(q);
  q.performIO = async (query) => {
    const result = await performIO(query);
    result.fields.forEach((field, i) => {
      const text = CHAR_AS_TEXT.get(field.dataTypeID);
      if (text === undefined) return;
      field.dataTypeID = text;
      // pg leaves `"char"[]` unparsed (no type parser is registered for 1002).
      if (text === 1009) for (const row of result.rows) if (typeof row[i] === 'string') row[i] = parseTextArray(row[i]);
    });
    return result;
  };
  return queryable;
}

function pgliteFactory(pglite: PGlite, asShadow = false): SqlMigrationAwareDriverAdapterFactory {
  const connect = async (db: PGlite) => {
    const adapter = await new PrismaPGlite(db).connect();
    // pglite-prisma-adapter 0.7.2 does not await `exec` in executeScript: a failing migration would
    // be recorded as applied and its error would surface later as an unhandled rejection.
    adapter.executeScript = async (script) => {
      await db.exec(script).catch((error: unknown) => reportError(adapter, error));
    };
    return adapter;
  };
  return {
    provider: 'postgres',
    adapterName: 'pglite-prisma-adapter',
    connect: () => connect(pglite),
    // The adapter's own shadow database is an in-memory PGlite that is never closed; close ours.
    async connectToShadowDb() {
      if (asShadow) return connect(pglite);
      const shadow = new PGlite();
      const adapter = await connect(shadow);
      adapter.dispose = () => shadow.close();
      return adapter;
    },
  };
}

/** Creates an empty, uniquely named database on the server of `baseUrl`; `drop()` removes it. */
/** A new, uniquely named database (a copy of `template` when given, else empty); `drop()` removes it. */
export async function createTemporaryDatabase(baseUrl: string, prefix = 'tmp', template?: string) {
  const name = `${prefix}_${Date.now()}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    // WITH (FORCE) (Postgres 13+) ends connections a caller forgot to close.
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
