/**
 * The embedded PGlite as seen from the server's thread: the same calls pglite-prisma-adapter and
 * the migrations make (`query`, `exec`, `transaction`, `close`), each sent to the worker thread
 * that owns the real PGlite (pglite-worker.ts). PGlite runs Postgres as synchronous WebAssembly;
 * on this thread a burst of queries left timers and sockets waiting for seconds (issue 9).
 *
 * What cannot cross the thread boundary stays here: the adapter's parsers are functions, so the
 * worker returns those types as text and they are parsed here; a DatabaseError is rebuilt as one
 * (the adapter maps its `code`, e.g. 23505 to a unique violation, only for that class).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { messages as PGliteMessages, ParserOptions, QueryOptions, Results } from '@electric-sql/pglite';
import type { PreparedQueries } from './pglite-prepared.ts';
import type { SentError, WorkerOptions, WorkerRequest, WorkerResponse } from './pglite-worker.ts';

type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/**
 * The build runs pglite-worker.js. From the sources (tsx, vitest) the worker is TypeScript and
 * needs tsx in its own thread: Node 20 passes no ESM loader (`--import tsx`) on to workers, and
 * opens a `.ts` entry of this `"type": "module"` package as ESM; tsx's require hook does work
 * there, so the worker requires the file.
 */
function newWorker(options: WorkerOptions): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData: options });
  const entry = fileURLToPath(new URL('./pglite-worker.ts', import.meta.url));
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(entry)})`, { eval: true, workerData: options, execArgv: ['--require', tsx] });
}

/** A transaction's handle inside `transaction(cb)`: the calls the adapter makes on it. */
export interface WorkerTransaction {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string): Promise<Results[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
}

export class PGliteInWorker implements PreparedQueries {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private stopped: Error | null = null;
  private opened = false;
  private messages!: typeof PGliteMessages;
  private closing: Promise<void> | null = null;

  /** Starts the worker and resolves once PGlite has opened `dataDir` (undefined: in memory), new ones from `template`. */
  static start(dataDir: string | undefined, template?: string): Promise<PGliteInWorker> {
    return PGliteInWorker.spawn({ dataDir, template }).ready;
  }

  /**
   * Starts the worker now (its thread begins opening PGlite at once); `ready` resolves once
   * PGlite is open. The process entry spawns it before loading the rest of the server.
   */
  static spawn(options: WorkerOptions): { ready: Promise<PGliteInWorker> } {
    const worker = newWorker(options);
    const db = new PGliteInWorker(worker);
    // The worker answers request 0 when PGlite is ready or has failed to open. PGlite's module is
    // loaded here meanwhile (errors are rebuilt as its DatabaseError), not before the worker starts.
    const opened = new Promise((resolve, reject) => db.pending.set(0, { resolve, reject }));
    const ready = Promise.all([opened, import('@electric-sql/pglite')]).then(
      ([, pglite]) => {
        db.messages = pglite.messages;
        db.opened = true;
        return db;
      },
      async (error: unknown) => {
        await worker.terminate();
        throw error;
      },
    );
    return { ready };
  }

  private constructor(private readonly worker: Worker) {
    worker.on('message', (response: WorkerResponse) => {
      const waiting = this.pending.get(response.id);
      if (!waiting) return;
      this.pending.delete(response.id);
      // Idle, the worker must not keep the process alive (PGlite on this thread did not either).
      if (this.pending.size === 0) worker.unref();
      if (response.ok) waiting.resolve(response.value);
      else waiting.reject(rebuildError(response.error, this.messages));
    });
    // Without its worker there is no database until a restart: what waits is rejected, and the
    // error reaches the process-wide handler, which logs it and exits for the supervisor.
    // (Before it has opened, the failure is start()'s to report.)
    const fail = (error: Error) => {
      const unexpected = this.opened && this.closing === null && this.stopped === null;
      this.stop(error);
      if (unexpected) throw error;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the embedded database's worker exited (code ${code})`)));
  }

  async query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.runQuery<T>(undefined, sql, params, options);
  }

  /** A store statement, prepared once in the worker's PGlite session (pglite-prepared.ts). */
  async prepared<T>(sql: string, params: unknown[]): Promise<T[]> {
    return (await this.call({ op: 'prepared', sql, params })) as T[];
  }

  async exec(sql: string, options?: QueryOptions): Promise<Results[]> {
    if (options) throw new Error('exec options are not supported by the embedded database worker');
    return (await this.call({ op: 'exec', sql })) as Results[];
  }

  /**
   * PGlite's own transaction, held open in the worker while `callback` runs here: queries from
   * outside it wait in PGlite until it ends, as they would on one PGlite in this thread.
   */
  async transaction<T>(callback: (tx: WorkerTransaction) => Promise<T>): Promise<T> {
    const id = (await this.call({ op: 'begin' })) as number;
    let closed = false;
    const tx: WorkerTransaction = {
      query: <R>(sql: string, params?: unknown[], options?: QueryOptions) => this.runQuery<R>(id, sql, params, options),
      exec: async (sql: string) => (await this.call({ op: 'exec', tx: id, sql })) as Results[],
      rollback: async () => {
        closed = true;
        await this.call({ op: 'rollback', tx: id });
      },
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await callback(tx);
    } catch (error) {
      await this.call({ op: 'end', tx: id, commit: false });
      throw error;
    }
    await this.call({ op: 'end', tx: id, commit: true });
    return result;
  }

  /** Closes PGlite cleanly (its files stay consistent), then ends the worker. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        if (!this.stopped) await this.call({ op: 'close' });
      } finally {
        await this.worker.terminate();
      }
    })();
    return this.closing;
  }

  private async runQuery<T>(tx: number | undefined, sql: string, params?: unknown[], options: QueryOptions = {}): Promise<Results<T>> {
    const { rowMode, paramTypes, parsers, ...unsupported } = options;
    const names = Object.keys(unsupported).filter((key) => unsupported[key as keyof typeof unsupported] !== undefined);
    if (names.length) throw new Error(`query options ${names.join(', ')} are not supported by the embedded database worker`);
    const textTypes = parsers ? Object.keys(parsers).map(Number) : undefined;
    const result = (await this.call({
      op: 'query',
      sql,
      ...(tx !== undefined ? { tx } : {}),
      ...(params ? { params } : {}),
      ...(rowMode ? { rowMode } : {}),
      ...(paramTypes ? { paramTypes } : {}),
      ...(textTypes ? { textTypes } : {}),
    })) as Results<T>;
    if (parsers) parseHere(result, parsers, rowMode === 'array');
    return result;
  }

  private call(request: Request): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } as WorkerRequest);
    });
  }

  private stop(error: Error): void {
    this.stopped ??= error;
    for (const waiting of this.pending.values()) waiting.reject(this.stopped);
    this.pending.clear();
  }
}

/** Applies the caller's parsers to the columns the worker returned as text. */
function parseHere(result: Results<unknown>, parsers: ParserOptions, arrayRows: boolean): void {
  result.fields.forEach((field, i) => {
    // Called as PGlite calls its parsers: with the text and the type.
    const parse = parsers[field.dataTypeID] as ((text: string, typeId: number) => unknown) | undefined;
    if (!parse) return;
    const key = arrayRows ? i : field.name;
    for (const row of result.rows as Record<string | number, unknown>[]) {
      const value = row[key];
      if (typeof value === 'string') row[key] = parse(value, field.dataTypeID);
    }
  });
}

/** `messages` is PGlite's module, loaded by the time any query runs (an error opening PGlite may come first). */
function rebuildError(sent: SentError, messages: typeof PGliteMessages | undefined): Error {
  const error: Error = sent.database && messages
    ? Object.assign(new messages.DatabaseError(sent.message, Number(sent.database.length ?? 0), sent.name as PGliteMessages.MessageName), sent.database)
    : Object.assign(new Error(sent.message), { name: sent.name }, sent.database);
  // Where PGlite failed; the caller's own frames are lost across the thread boundary anyway.
  if (sent.stack) error.stack = sent.stack;
  return error;
}
