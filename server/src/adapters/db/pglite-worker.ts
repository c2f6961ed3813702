/**
 * The worker thread that owns the embedded PGlite (started by pglite-in-worker.ts). PGlite runs
 * Postgres as WebAssembly, synchronously: on the server's own thread every query would stop
 * timers and sockets for as long as it runs. Here it blocks only this thread.
 *
 * A thin RPC: each request is one PGlite call, answered with its result or error. Transactions
 * stay PGlite's own (`transaction(cb)` holds PGlite's transaction lock, so queries from outside
 * the transaction wait for it to end); their queries arrive keyed by the transaction's id. The
 * store's own statements are prepared once in this PGlite's session and only bound and executed
 * after (pglite-prepared.ts); their rows come back typed (Dates cross the thread as Dates).
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { messages, PGlite, type Transaction } from '@electric-sql/pglite';
import { PreparedStatements } from './pglite-prepared.ts';
import { serverStartParams } from './pglite-settings.ts';
import { copyTemplateDir } from './pglite-template.ts';

export interface WorkerOptions {
  /** Where PGlite keeps its files; undefined: in memory. */
  dataDir: string | undefined;
  /** A new database's starting copy (pglite-template.ts): a tarball of a data directory. */
  template?: string | undefined;
  /** Or the same, unpacked: copied to `dataDir` before PGlite opens it (pglite-template.ts). */
  templateDir?: string | undefined;
}

export type WorkerRequest = { id: number } & (
  | {
      op: 'query';
      tx?: number;
      sql: string;
      params?: unknown[];
      rowMode?: 'array' | 'object';
      paramTypes?: number[];
      /** Types the caller parses itself (its parsers are functions, which cannot be sent): returned as text. */
      textTypes?: number[];
    }
  | { op: 'exec'; tx?: number; sql: string }
  /** A store statement, run as a named prepared statement (pglite-prepared.ts); answered with its rows. */
  | { op: 'prepared'; sql: string; params: unknown[] }
  /** Answered once the transaction has begun, with its id (the request's id). */
  | { op: 'begin' }
  | { op: 'rollback'; tx: number }
  /** Commits (or rolls back) and answers once the transaction is over. */
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'close' }
);

export interface SentError {
  message: string;
  name: string;
  stack?: string;
  /** PGlite's DatabaseError fields (code, severity, detail, constraint…), rebuilt as one by the caller. */
  database?: Record<string, string | number | undefined>;
}

export type WorkerResponse = { id: number } & ({ ok: true; value: unknown } | { ok: false; error: SentError });

interface OpenTransaction {
  tx: Transaction;
  /** This transaction's requests, one after another (a rollback completes before its end). */
  chain: Promise<unknown>;
  decide(commit: boolean): void;
  over: Promise<void>;
}

const port = parentPort!;
const { dataDir, template, templateDir } = workerData as WorkerOptions;
if (templateDir && dataDir) copyTemplateDir(templateDir, dataDir);
const pglite = new PGlite({ dataDir, startParams: serverStartParams(PGlite.defaultStartParams), ...(template ? { loadDataDir: new Blob([readFileSync(template)]) } : {}) });
const prepared = new PreparedStatements(pglite);
const transactions = new Map<number, OpenTransaction>();
const textParsers = new Map<string, Record<number, (value: string) => string>>();
/** Thrown inside PGlite's transaction callback so that PGlite rolls the transaction back. */
const ROLL_BACK = Symbol('roll back');

function send(response: WorkerResponse): void {
  port.postMessage(response);
}

function sendError(id: number, error: unknown): void {
  send({ id, ok: false, error: describeError(error) });
}

function describeError(error: unknown): SentError {
  if (!(error instanceof Error)) return { message: String(error), name: 'Error' };
  const sent: SentError = { message: error.message, name: error.name, ...(error.stack ? { stack: error.stack } : {}) };
  if (error instanceof messages.DatabaseError) {
    // Only the protocol's string fields: PGlite also attaches the query's options, which hold functions.
    const database: Record<string, string | number | undefined> = { length: error.length };
    for (const [key, value] of Object.entries(error)) if (typeof value === 'string') database[key] = value;
    sent.database = database;
  }
  return sent;
}

function parsersFor(types: number[]): Record<number, (value: string) => string> {
  const key = types.join(',');
  let parsers = textParsers.get(key);
  if (!parsers) {
    parsers = Object.fromEntries(types.map((type) => [type, (value: string) => value]));
    textParsers.set(key, parsers);
  }
  return parsers;
}

function openTransaction(id: number): OpenTransaction {
  const open = transactions.get(id);
  if (!open) throw new Error(`no open transaction ${id}`);
  return open;
}

/** Runs `work` after the earlier requests of transaction `tx` (or at once outside a transaction). */
function inOrder<T>(tx: number | undefined, work: (on: PGlite | Transaction) => Promise<T>): Promise<T> {
  if (tx === undefined) return work(pglite);
  const open = openTransaction(tx);
  const result = open.chain.then(() => work(open.tx));
  open.chain = result.catch(() => undefined);
  return result;
}

function begin(id: number): void {
  let started = false;
  let decide!: (commit: boolean) => void;
  const decided = new Promise<boolean>((resolve) => (decide = resolve));
  const over = pglite
    .transaction(async (tx) => {
      transactions.set(id, { tx, chain: Promise.resolve(), decide, over });
      started = true;
      send({ id, ok: true, value: id });
      if (!(await decided)) throw ROLL_BACK;
    })
    .catch((error: unknown) => {
      if (error === ROLL_BACK) return;
      if (!started) sendError(id, error); // BEGIN itself failed
      else throw error;
    })
    .finally(() => transactions.delete(id));
}

async function end(tx: number, commit: boolean): Promise<void> {
  const open = openTransaction(tx);
  await open.chain;
  open.decide(commit);
  await open.over;
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'query': {
      const { sql, params, rowMode, paramTypes, textTypes } = request;
      const options = {
        ...(rowMode ? { rowMode } : {}),
        ...(paramTypes ? { paramTypes } : {}),
        ...(textTypes?.length ? { parsers: parsersFor(textTypes) } : {}),
      };
      return inOrder(request.tx, (on) => on.query(sql, params, options));
    }
    case 'exec':
      return inOrder(request.tx, (on) => on.exec(request.sql));
    case 'prepared':
      return prepared.prepared(request.sql, request.params);
    case 'rollback':
      return inOrder(request.tx, (on) => (on as Transaction).rollback());
    case 'end':
      return end(request.tx, request.commit);
    case 'close':
      await pglite.close();
      return undefined;
    case 'begin':
      throw new Error('begin is answered by its transaction');
  }
}

port.on('message', (request: WorkerRequest) => {
  if (request.op === 'begin') return begin(request.id);
  handle(request).then(
    (value) => send({ id: request.id, ok: true, value }),
    (error: unknown) => sendError(request.id, error),
  );
});

// Ready (or the reason it cannot open, e.g. a damaged data directory) is the answer to request 0.
pglite.waitReady.then(
  () => send({ id: 0, ok: true, value: undefined }),
  (error: unknown) => sendError(0, error),
);
