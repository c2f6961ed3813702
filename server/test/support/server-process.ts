/**
 * The real server as a child process, for what an in-process server cannot show: SIGKILL in the
 * middle of a delay, a restart on the same data, two processes sharing one Postgres and one Redis.
 * Used by the delivery tests and bench. By default it is the production build (`node
 * server/dist/main.js`, rebuilt first when the sources are newer, see support/built-server.ts):
 * under tsx every start compiled and loaded the server's sources again, ~3 s more CPU a start
 * (8 → 5 s embedded, 5.4 → 2.5 s on Postgres, measured at load 10–15).
 *
 * Each child gets only the environment it is given (plus PATH/HOME), so a developer's own
 * DATABASE_URL or REDIS_URL never leaks into a test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createMigratedTestDatabase } from '../../src/adapters/db/migrate.ts';
import { BUILT_MAIN, ensureServerBuilt } from './built-server.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = path.join(ROOT, 'server', 'src', 'main.ts');
/** `main()` prints this whatever LOG_LEVEL says, once the port is open and recovery has run. */
const READY_LINE = /Support chat is running: (\S+)/;

export interface ServerProcess {
  /** http://127.0.0.1:<port> (never `localhost`, which may resolve to ::1). */
  url: string;
  port: number;
  pid: number;
  /** The last lines of stdout and stderr, for failure messages. */
  output(): string;
  /** Sends the signal and resolves once the process has exited (with its exit code, null if killed). */
  kill(signal?: 'SIGKILL' | 'SIGTERM'): Promise<number | null>;
  /** SIGSTOP / SIGCONT: freeze the process without closing its connections. */
  pause(): void;
  resume(): void;
  readonly exited: Promise<number | null>;
}

export interface SpawnOptions {
  /** How long to wait for the ready line; default 60 s. */
  timeoutMs?: number;
  /** Prefix for the child's output lines when SERVER_PROCESS_ECHO=1 (debugging). */
  name?: string;
  /** false: run the sources under tsx (`node --import tsx server/src/main.ts`) instead of the production build. */
  built?: boolean;
}

/**
 * The page origin test and bench visitors connect from: a `/visitor` handshake without an Origin
 * header is refused, as a browser always sends one. Servers started for tests list it.
 */
export const TEST_ORIGIN = 'http://localhost:3000';

/** Defaults for a quiet, test-friendly child; `env` overrides them. */
export const CHILD_DEFAULTS: Record<string, string> = {
  NODE_ENV: 'test',
  ALLOWED_ORIGINS: TEST_ORIGIN,
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_ENABLED: 'false',
  KNOWLEDGE_DEMO_ARTICLES: 'false',
  SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789',
};

const running = new Set<ChildProcess>();
process.once('exit', () => {
  // Never leave a server behind when a test run dies.
  for (const child of running) child.kill('SIGKILL');
});

export async function spawnServer(env: Record<string, string>, options: SpawnOptions = {}): Promise<ServerProcess> {
  const passthrough = Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SystemRoot'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])),
  );
  const built = options.built ?? true;
  if (built) await ensureServerBuilt();
  const child = spawn(process.execPath, built ? [BUILT_MAIN] : ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: { ...passthrough, ...CHILD_DEFAULTS, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);

  const lines: string[] = [];
  const echo = process.env.SERVER_PROCESS_ECHO === '1';
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
  });
  const keep = (stream: NodeJS.ReadableStream, tag: string) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(`${tag}${line}`);
        if (lines.length > 200) lines.shift();
        if (echo) process.stderr.write(`[${options.name ?? child.pid}] ${tag}${line}\n`);
      }
    });
  };
  keep(child.stdout!, '');
  keep(child.stderr!, 'stderr: ');
  const output = () => lines.join('\n');

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${options.timeoutMs ?? 60_000} ms:\n${output()}`));
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer | string) => {
      const match = READY_LINE.exec(String(chunk)) ?? READY_LINE.exec(output());
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output()}`));
    });
  });
  const port = Number(new URL(url).port);
  const base = `http://127.0.0.1:${port}`;
  // The ready line comes after listen(); one health check proves the database answers too.
  const health = await fetch(`${base}/health`);
  if (!health.ok) throw new Error(`server at ${base} is not healthy (${health.status}):\n${output()}`);

  return {
    url: base,
    port,
    pid: child.pid!,
    output,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGCONT'); // a paused process would not act on SIGTERM
      child.kill(signal);
      return exited;
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
  };
}

/** A temp directory for a file-backed PGlite (DATA_DIR) that outlives one child process. */
export async function tempDataDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'support-chat-data-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A Redis database index of our own for child processes. Children use the default key prefix
 * (`sc`), so two runs sharing a database index would share caches, limits and broadcasts.
 * A lock key with a TTL claims an index.
 */
export async function claimRedisDatabase(base = 'redis://127.0.0.1:6379'): Promise<{ url: string; index: number; release(): Promise<void> }> {
  const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  for (let index = 1; index < 16; index++) {
    const redis = new Redis(`${base}/${index}`, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    const won = await redis.set('support-chat:test-claim', token, 'EX', 600, 'NX');
    if (!won) {
      await redis.quit();
      continue;
    }
    // Leftovers of an earlier run must not meet this run.
    await deleteKeys(redis, ['sc:*']);
    return {
      url: `${base}/${index}`,
      index,
      release: async () => {
        await deleteKeys(redis, ['sc:*']);
        if ((await redis.get('support-chat:test-claim')) === token) await redis.del('support-chat:test-claim');
        await redis.quit();
      },
    };
  }
  throw new Error('no free Redis database index (1–15) to run server processes on');
}

/** Deletes every key matching the patterns (SCAN, so a large database is not blocked). */
export async function deleteKeys(redis: Redis, patterns: string[]): Promise<void> {
  for (const match of patterns) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  }
}

export { freePort } from './browser.ts';

/** A plain SQL connection to a test database, to count what the servers stored. */
export async function openSql(url: string): Promise<{ query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>; end(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    query: async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await client.query<R>(sql, params)).rows,
    end: () => client.end(),
  };
}

/**
 * Storage for child processes on this machine's services: a fresh Postgres database and a Redis
 * database index of our own, as DATABASE_URL / REDIS_URL merged into `env`; `release` drops both.
 */
export async function claimStorage(env: Record<string, string> = {}): Promise<{ env: Record<string, string>; release(): Promise<void> }> {
  const [database, redis] = await Promise.all([createMigratedTestDatabase(), claimRedisDatabase()]);
  return {
    env: { DATABASE_URL: database.url, REDIS_URL: redis.url, ...env },
    release: async () => {
      await redis.release();
      await database.drop();
    },
  };
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
