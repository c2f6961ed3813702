/**
 * `pnpm bench load` (issue 9): the product against the floor, measured in the same run.
 *
 * The floor is what the libraries cost with nothing of ours on top: a bare Socket.IO server (the
 * product's socket.io version) that acks `message:send` after one Postgres INSERT, and bare Koa
 * answering `POST /api/messages/` after one INSERT (bench/load/floor-*.mjs, plain `node`). The
 * product runs as production does (`node server/dist/main.js`) on Postgres + Redis and embedded
 * (file PGlite in a temp DATA_DIR). All are child processes; rounds are interleaved (floor,
 * product, floor, product…) because this machine is shared and noisy. Numbers, not assertions:
 * each table puts the product beside the floor as a ratio, with the issue's must-reach targets.
 *
 *  - throughput: 50 and 200 visitors, each send → ack → send for LOAD_SECONDS, delays off and
 *    escalation thresholds raised so every message takes the full bot path; msgs/s, ack p50/p99,
 *    server CPU per message (/proc/<pid>/stat, utime+stime, over the run and its drain), and on
 *    Postgres the database's committed transactions and rows written per message, end to end
 *    (read after the replies stopped and Postgres' statistics settled).
 *  - statements: the same loop (first visitor count) with a counting proxy before Postgres, for
 *    the floor and the product: statements and round trips per message, statements per handshake.
 *  - rest: POST /api/messages/ from 50 concurrent callers.
 *  - idle: LOAD_IDLE widget sockets held open; heap per socket (heapUsed after a forced GC over
 *    the inspector, before and after), connect time.
 *  - burst: LOAD_BURST visitors connect, then all send their first message at once, delays on
 *    (RESPONSE_DELAY_SECONDS=3, PACING_JITTER=0): errors by code, acks, replies, reply lateness
 *    (arrival − the planned due time, `PendingReply.dueAt` read by `inReplyTo` — for embedded from
 *    the DATA_DIR once the server has stopped), dropped sockets.
 *  - hostpage: bench/host-page.ts, when it exists.
 *
 * Knobs: LOAD_SECONDS (15), LOAD_ROUNDS (2), LOAD_VISITORS (50,200), LOAD_BURST (1000),
 * LOAD_IDLE (10000), LOAD_SCENARIOS (throughput,statements,rest,idle,burst,hostpage), LOAD_MODES
 * (postgres,embedded). A smoke run: LOAD_SECONDS=5 LOAD_BURST=200 LOAD_IDLE=1000.
 *
 *   pnpm bench load            (or: pnpm build && pnpm exec tsx bench/load.ts)
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { createTestDatabase } from '../server/src/adapters/db/migrate.ts';
import { ensureServerBuilt } from '../server/test/support/built-server.ts';
import { deleteKeys, sleep, tempDataDir } from '../server/test/support/server-process.ts';
import { summarize } from './percentiles.ts';
import { perMessage, watchDatabase, type DbWatch } from './load/pg-counters.ts';
import { startWireCounter, type WireCounter } from './load/pg-wire-counter.ts';
import { cpuMs, createApiKey, memoryAfterGc, spawnFloor, spawnProduct, type Measured } from './load/processes.ts';
import { counts, printTable, type Row } from './load/table.ts';
import { closeAllSockets, connectMany, question, quiet, restLoop, send, sendLoop, type LoopResult, type Visitor } from './load/visitors.ts';

const env = process.env;
const num = (value: string | undefined, fallback: number) => (value && Number.isFinite(Number(value)) ? Number(value) : fallback);
const SECONDS = num(env.LOAD_SECONDS, 15);
const ROUNDS = num(env.LOAD_ROUNDS, 2);
const VISITOR_COUNTS = (env.LOAD_VISITORS ?? '50,200').split(',').map(Number).filter((n) => n > 0);
const REST_CONCURRENCY = 50;
const BURST = num(env.LOAD_BURST, 1000);
const IDLE = num(env.LOAD_IDLE, 10_000);
const SCENARIOS = new Set((env.LOAD_SCENARIOS ?? 'throughput,statements,rest,idle,burst,hostpage').split(','));
const MODES = new Set((env.LOAD_MODES ?? 'postgres,embedded').split(','));
/** Handshakes in flight while opening many sockets (the same for every server). */
const CONNECT_CONCURRENCY = 100;
const BURST_DELAY_SECONDS = 3;

type Target = 'floor' | 'postgres' | 'embedded';

/** Every message takes the full bot path: no pacing, no limits, no escalation by repetition. */
const FULL_PATH = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_ENABLED: 'false',
  ESCALATION_REPEAT_THRESHOLD: '1000',
  LOW_CONFIDENCE_STREAK: '1000',
};

// ---------------------------------------------------------------------------------------------
// storage and servers

/**
 * A fresh store for each phase's product servers: a new Postgres database (watched), a Redis key
 * prefix of our own on the shared Redis, a new DATA_DIR. Fresh per phase so that a migration
 * added while the bench runs meets an empty database, as in a new deployment.
 */
interface ProductStorage {
  db: { url: string; drop(): Promise<void> };
  watch: DbWatch;
  redisUrl: string;
  redisPrefix: string;
  dataDir: { dir: string; remove(): Promise<void> };
}

const cleanups: Array<() => Promise<unknown>> = [];

async function productStorage(): Promise<ProductStorage> {
  const [db, dataDir] = await Promise.all([createTestDatabase(), tempDataDir()]);
  cleanups.push(db.drop, dataDir.remove);
  const watch = await watchDatabase(db.url);
  cleanups.push(watch.end);
  const redisPrefix = `load-${randomUUID().slice(0, 8)}`;
  const redisUrl = 'redis://127.0.0.1:6379';
  cleanups.push(() => deleteRedisKeys(redisUrl, `${redisPrefix}:*`));
  return { db, watch, redisUrl, redisPrefix, dataDir };
}

async function deleteRedisKeys(url: string, match: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    await deleteKeys(redis, [match]);
  } finally {
    await redis.quit();
  }
}

function productEnv(storage: ProductStorage, mode: 'postgres' | 'embedded', extra: Record<string, string>): Record<string, string> {
  const store: Record<string, string> =
    mode === 'postgres'
      ? { DATABASE_URL: storage.db.url, REDIS_URL: storage.redisUrl, REDIS_PREFIX: storage.redisPrefix }
      : { DATA_DIR: storage.dataDir.dir };
  return { ...FULL_PATH, ...store, ...extra };
}

const running = new Set<Measured>();
async function start(make: () => Promise<Measured>): Promise<Measured> {
  const server = await make();
  running.add(server);
  return server;
}
async function stop(server: Measured | undefined): Promise<void> {
  if (!server || !running.has(server)) return;
  running.delete(server);
  reportErrors(server);
  await server.stop();
}

/** The errors a server logged (pino level ≥ 50), so an `internal_error` in a table has a cause beside it. */
function reportErrors(server: Measured): void {
  const errors = server.output().split('\n').filter((line) => /"level":(50|60)/.test(line));
  if (errors.length === 0) return;
  const describe = (line: string) => {
    try {
      const entry = JSON.parse(line.replace(/^stderr: /, '')) as { msg?: string; err?: { type?: string; message?: string; code?: string } };
      const message = (entry.err?.message ?? '').replace(/\s+/g, ' ').trim().slice(-200);
      return `${entry.msg ?? ''} — ${entry.err?.type ?? ''} ${entry.err?.code ?? ''}: ${message}`;
    } catch {
      return line.slice(0, 300);
    }
  };
  const distinct = [...new Set(errors.map(describe))];
  console.log(`  ${server.label} logged ${errors.length} error line(s) (of its last 200 output lines); distinct:`);
  for (const line of distinct.slice(0, 3)) console.log(`    ${line}`);
}

/** Runs `task`, reporting (not hanging on) one that takes longer than `ms`. */
async function guarded<T>(label: string, ms: number, task: () => Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      task(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no result within ${Math.round(ms / 1000)} s`)), ms))),
    ]);
  } catch (error) {
    console.log(`  ${label}: FAILED — ${(error as Error).message.split('\n').slice(0, 6).join(' / ')}`);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// throughput (socket and REST)

interface Tally {
  acked: number;
  seconds: number;
  ackMs: number[];
  errors: Record<string, number>;
  cpuMs: number;
  /** This bench process's CPU (the clients): near 1 core, the floor's figures are the client's limit. */
  clientCpuMs: number;
  replies: number;
  transactions: number;
  rows: number;
  /** Messages over which the database counters were read. */
  counted: number;
  perRound: number[];
  statuses: Record<string, number>;
}

const emptyTally = (): Tally => ({ acked: 0, seconds: 0, ackMs: [], errors: {}, cpuMs: 0, clientCpuMs: 0, replies: 0, transactions: 0, rows: 0, counted: 0, perRound: [], statuses: {} });

function add(tally: Tally, loop: LoopResult & { statuses?: Record<string, number> }, cpu: number, clientCpu: number, replies: number, db: ReturnType<typeof perMessage> | null): void {
  tally.acked += loop.acked;
  tally.seconds += loop.seconds;
  tally.ackMs.push(...loop.ackMs);
  for (const [k, n] of Object.entries(loop.errors)) tally.errors[k] = (tally.errors[k] ?? 0) + n;
  for (const [k, n] of Object.entries(loop.statuses ?? {})) tally.statuses[k] = (tally.statuses[k] ?? 0) + n;
  tally.cpuMs += cpu;
  tally.clientCpuMs += clientCpu;
  tally.replies += replies;
  if (db && loop.acked > 0) {
    tally.transactions += db.transactionsPerMessage * loop.acked;
    tally.rows += db.rowsPerMessage * loop.acked;
    tally.counted += loop.acked;
  }
  tally.perRound.push(loop.acked / loop.seconds);
}

/** Waits until the product has no planned reply left to deliver (Postgres only). */
async function drained(watch: DbWatch): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const rows = await watch.query<{ n: number }>(`SELECT count(*)::int AS n FROM "PendingReply" WHERE status = 'PENDING'`).catch(() => [{ n: 0 }]);
    if ((rows[0]?.n ?? 0) === 0) return;
    await sleep(500);
  }
}

/** CPU spent so far by each Postgres backend of the watched database (the bench's own included: a few reads). */
async function backendCpu(watch: DbWatch): Promise<Map<number, number>> {
  const rows = await watch.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  const spent = new Map<number, number>();
  for (const { pid } of rows) spent.set(pid, await cpuMs(pid).catch(() => 0));
  return spent;
}

/** One measured window on one server: `load` runs, then the server drains, then counters are read. */
async function measureWindow<L extends LoopResult>(
  server: Measured,
  watch: DbWatch | null,
  isProduct: boolean,
  load: () => Promise<L>,
  drain: () => Promise<void>,
): Promise<{ loop: L; cpu: number; clientCpu: number; db: ReturnType<typeof perMessage> | null }> {
  const before = watch ? { ...(await watch.settled()), own: watch.ownTransactions() } : null;
  const pg0 = watch ? await backendCpu(watch) : null;
  const cpu0 = await cpuMs(server.pid);
  const client0 = process.cpuUsage();
  const loop = await load();
  const client = process.cpuUsage(client0);
  await drain();
  if (watch && isProduct) await drained(watch);
  const cpu1 = await cpuMs(server.pid);
  // Before the counters settle: the pool closes idle connections meanwhile, and a closed backend's CPU is gone.
  const pg1 = watch && pg0 ? await backendCpu(watch) : null;
  const after = watch ? { ...(await watch.settled()), own: watch.ownTransactions() } : null;
  const db = before && after && loop.acked > 0 ? perMessage(before, after, loop.acked) : null;
  if (db && isProduct) console.log(`  rows written per message by table: ${JSON.stringify(db.byTable)}`);
  if (pg0 && pg1 && loop.acked > 0) {
    const spent = [...pg1].reduce((sum, [pid, ms]) => sum + ms - (pg0.get(pid) ?? 0), 0);
    console.log(`  Postgres backends' CPU ms/msg: ${(spent / loop.acked).toFixed(2)} (${server.label})`);
  }
  return { loop, cpu: cpu1 - cpu0, clientCpu: (client.user + client.system) / 1000, db };
}

async function socketRound(server: Measured, watch: DbWatch | null, isProduct: boolean, visitors: number, tally: Tally): Promise<void> {
  const { visitors: open, failures } = await connectMany(server.url, visitors, CONNECT_CONCURRENCY);
  if (Object.keys(failures).length > 0) tally.errors.connect = (tally.errors.connect ?? 0) + Object.values(failures).reduce((a, b) => a + b, 0);
  try {
    // Warm-up (JIT, pools, each visitor's conversation opened), not counted.
    await Promise.all(open.map((v, i) => send(v, question(i))));
    await quiet(open, 1500, 30_000);
    for (const v of open) v.replies.length = 0;
    const { loop, cpu, clientCpu, db } = await measureWindow(server, watch, isProduct, () => sendLoop(open, SECONDS), () => quiet(open, 1500, 60_000));
    add(tally, loop, cpu, clientCpu, open.reduce((n, v) => n + v.replies.length, 0), db);
  } finally {
    for (const v of open) v.close();
  }
}

async function restRound(server: Measured, watch: DbWatch | null, isProduct: boolean, tally: Tally, apiKey: string | null): Promise<void> {
  await restLoop(server.url, 5, 1, apiKey); // warm-up
  const { loop, cpu, clientCpu, db } = await measureWindow(server, watch, isProduct, () => restLoop(server.url, REST_CONCURRENCY, SECONDS, apiKey), () => sleep(1000));
  add(tally, loop, cpu, clientCpu, 0, db);
}

function throughputRows(t: Record<Target, Tally | undefined>, kind: 'socket' | 'rest'): Row[] {
  const get = (f: (x: Tally) => number | string | null) => ({
    floor: t.floor ? f(t.floor) : null,
    postgres: t.postgres ? f(t.postgres) : null,
    embedded: t.embedded ? f(t.embedded) : null,
  });
  const unit = kind === 'socket' ? 'msg' : 'req';
  const rows: Row[] = [
    { metric: `${unit}s/s`, ...get((x) => x.acked / x.seconds), ratio: true, targetPostgres: '≥ 0.5×', targetEmbedded: kind === 'socket' ? '≥ 0.25×' : '' },
    { metric: `${kind === 'socket' ? 'ack' : 'response'} p50 ms`, ...get((x) => summarize(x.ackMs).p50), ratio: true },
    { metric: `${kind === 'socket' ? 'ack' : 'response'} p99 ms`, ...get((x) => summarize(x.ackMs).p99), ratio: true, targetPostgres: kind === 'socket' ? '≤ 3×' : '' },
    { metric: `server CPU ms/${unit}`, ...get((x) => x.cpuMs / x.acked), ratio: true },
    { metric: 'client CPU, cores busy', ...get((x) => x.clientCpuMs / 1000 / x.seconds) },
    { metric: `DB transactions/${unit}`, ...get((x) => (x.counted ? x.transactions / x.counted : null)), ratio: true, targetPostgres: '≤ 3 statements' },
    { metric: `rows written/${unit}`, ...get((x) => (x.counted ? x.rows / x.counted : null)), ratio: true, targetPostgres: '≤ 4' },
  ];
  if (kind === 'socket') rows.push({ metric: 'bot replies/msg', ...get((x) => (x.acked ? x.replies / x.acked : null)), floor: null });
  rows.push(
    { metric: 'errors', ...get((x) => counts(x.errors)) },
    { metric: `${unit}s/s per round`, ...get((x) => x.perRound.map((r) => r.toFixed(0)).join(' / ')) },
  );
  if (kind === 'rest') rows.push({ metric: 'statuses', ...get((x) => counts(x.statuses)) });
  return rows;
}

// ---------------------------------------------------------------------------------------------
// statements on the wire

interface WireResult {
  acked: number;
  statements: number;
  roundTrips: number;
  handshakeStatements: number;
  /** Statements the server sends with no visitor connected (its sweeps), per second. */
  backgroundPerSecond: number;
  errors: Record<string, number>;
}

/** `visitors` connect (handshake statements counted), then send → ack → send; counted until drained. */
async function wireRun(server: Measured, wire: WireCounter, watch: DbWatch | null, visitors: number): Promise<WireResult> {
  // The server's own background statements (reply, webhook and Telegram sweeps) go on whatever
  // the visitors do: their rate, counted while nobody is connected, is not the handshakes'.
  const idle0 = wire.counts();
  const idleStarted = performance.now();
  await sleep(3000);
  const backgroundPerMs = (wire.counts().statements - idle0.statements) / (performance.now() - idleStarted);
  const start = wire.counts();
  const connectStarted = performance.now();
  const { visitors: open } = await connectMany(server.url, visitors, CONNECT_CONCURRENCY);
  try {
    await sleep(1000); // what the namespace does right after `connect` (session, history)
    const connected = wire.counts();
    const background = backgroundPerMs * (performance.now() - connectStarted);
    await Promise.all(open.map((v, i) => send(v, question(i))));
    await quiet(open, 1500, 30_000);
    const before = wire.counts();
    const loop = await sendLoop(open, SECONDS);
    await quiet(open, 1500, 60_000);
    if (watch) await drained(watch); // on its own connection, not through the proxy
    const after = wire.counts();
    return {
      acked: loop.acked,
      statements: (after.statements - before.statements) / loop.acked,
      roundTrips: (after.roundTrips - before.roundTrips) / loop.acked,
      handshakeStatements: Math.max(0, connected.statements - start.statements - background) / Math.max(1, open.length),
      backgroundPerSecond: backgroundPerMs * 1000,
      errors: loop.errors,
    };
  } finally {
    for (const v of open) v.close();
  }
}

function wireRows(r: Record<Target, WireResult | null | undefined>): Row[] {
  const get = (f: (x: WireResult) => number | string) => ({
    floor: r.floor ? f(r.floor) : null,
    postgres: r.postgres ? f(r.postgres) : null,
    embedded: null,
  });
  return [
    { metric: 'messages', ...get((x) => x.acked) },
    { metric: 'statements/msg', ...get((x) => x.statements), ratio: true, targetPostgres: '≤ 3' },
    { metric: 'round trips/msg', ...get((x) => x.roundTrips), ratio: true },
    { metric: 'handshake statements/socket', ...get((x) => x.handshakeStatements), targetPostgres: '≤ 1' },
    { metric: 'background statements/s (sweeps, not counted above)', ...get((x) => x.backgroundPerSecond) },
    { metric: 'errors', ...get((x) => counts(x.errors)) },
  ];
}

// ---------------------------------------------------------------------------------------------
// idle sockets

interface IdleResult {
  connected: number;
  failures: Record<string, number>;
  connectMs: number[];
  heapPerSocket: number;
  rssPerSocket: number;
  rssBefore: number;
  seconds: number;
}

async function idleRun(server: Measured, count: number): Promise<IdleResult> {
  const before = await memoryAfterGc(server);
  const started = performance.now();
  const { visitors, failures } = await connectMany(server.url, count, CONNECT_CONCURRENCY);
  const seconds = (performance.now() - started) / 1000;
  try {
    await sleep(2000); // the handshakes' follow-up (session, history) is sent after `connect`
    const after = await memoryAfterGc(server);
    const n = visitors.length;
    return {
      connected: n,
      failures,
      connectMs: visitors.map((v) => v.connectMs),
      heapPerSocket: n ? (after.heapUsed - before.heapUsed) / n : NaN,
      rssPerSocket: n ? (after.rss - before.rss) / n : NaN,
      rssBefore: before.rss,
      seconds,
    };
  } finally {
    for (const v of visitors) v.close();
  }
}

function idleRows(r: Record<Target, IdleResult | null | undefined>): Row[] {
  const get = (f: (x: IdleResult) => number | string) => ({
    floor: r.floor ? f(r.floor) : null,
    postgres: r.postgres ? f(r.postgres) : null,
    embedded: r.embedded ? f(r.embedded) : null,
  });
  return [
    { metric: 'sockets connected', ...get((x) => x.connected) },
    { metric: 'connect failures', ...get((x) => counts(x.failures)) },
    { metric: 'heap KB per socket', ...get((x) => x.heapPerSocket / 1024), ratio: true, targetPostgres: '≤ 15 KB' },
    { metric: 'RSS KB per socket', ...get((x) => x.rssPerSocket / 1024), ratio: true },
    { metric: 'connect p50 ms', ...get((x) => summarize(x.connectMs).p50), ratio: true },
    { metric: 'connect p99 ms', ...get((x) => summarize(x.connectMs).p99), ratio: true },
    { metric: 'all connected in s', ...get((x) => x.seconds), ratio: true },
    { metric: 'RSS MB before', ...get((x) => x.rssBefore / 2 ** 20), ratio: true },
  ];
}

// ---------------------------------------------------------------------------------------------
// burst

interface BurstResult {
  opened: number;
  connectFailures: number;
  acked: number;
  errors: Record<string, number>;
  ackMs: number[];
  intakeSeconds: number;
  replies: number | null;
  lateness: number[] | null;
  dropped: Record<string, number>;
  note: string;
}

async function burstRun(
  server: Measured,
  count: number,
  dueTimes: ((messageIds: string[]) => Promise<Map<string, number>>) | null,
): Promise<BurstResult> {
  const { visitors, failures } = await connectMany(server.url, count, CONNECT_CONCURRENCY);
  try {
    const started = performance.now();
    // All at once: every emit leaves before the first ack can come back.
    const outcomes = await Promise.all(visitors.map((v, i) => send(v, question(i), 120_000)));
    const intakeSeconds = (performance.now() - started) / 1000;
    const errors: Record<string, number> = {};
    for (const o of outcomes) if (!o.ok) errors[o.code!] = (errors[o.code!] ?? 0) + 1;
    const acked = outcomes.filter((o) => o.ok);
    let replies: number | null = null;
    let lateness: number[] | null = null;
    let note = '';
    if (dueTimes) {
      const answered = (v: Visitor) => v.replies.length > 0;
      const deadline = Date.now() + (BURST_DELAY_SECONDS + 10) * 1000 + 120_000;
      const expected = visitors.filter((_, i) => outcomes[i]!.ok);
      while (Date.now() < deadline && !expected.every(answered)) await sleep(200);
      await sleep(1000); // a second reply to anyone would show by now
      replies = visitors.reduce((n, v) => n + v.replies.length, 0);
      const dropped = tallyDrops(visitors);
      const due = await dueTimes(acked.map((o) => o.sent!.id)).catch((error: Error) => {
        note = `due times unreadable: ${error.message}`;
        return new Map<string, number>();
      });
      lateness = [];
      visitors.forEach((v, i) => {
        const o = outcomes[i]!;
        const dueAt = o.ok ? due.get(o.sent!.id) : undefined;
        const reply = v.replies[0];
        if (dueAt !== undefined && reply) lateness!.push(reply.at - dueAt);
      });
      return { opened: visitors.length, connectFailures: sum(failures), acked: acked.length, errors, ackMs: acked.map((o) => o.ackMs), intakeSeconds, replies, lateness, dropped, note };
    }
    return { opened: visitors.length, connectFailures: sum(failures), acked: acked.length, errors, ackMs: acked.map((o) => o.ackMs), intakeSeconds, replies, lateness, dropped: tallyDrops(visitors), note };
  } finally {
    for (const v of visitors) v.close();
  }
}

const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);
function tallyDrops(visitors: Visitor[]): Record<string, number> {
  const dropped: Record<string, number> = {};
  for (const v of visitors) for (const reason of v.drops) dropped[reason] = (dropped[reason] ?? 0) + 1;
  return dropped;
}

const DUE_SQL = `SELECT "inReplyTo" AS id, (extract(epoch FROM "dueAt") * 1000)::float8 AS due FROM "PendingReply" WHERE "inReplyTo" = ANY($1)`;

/** Planned due times from a file PGlite once its server has stopped (the directory is then free). */
async function dueTimesFromPglite(dataDir: string, ids: string[]): Promise<Map<string, number>> {
  const serverRequire = createRequire(new URL('../server/package.json', import.meta.url));
  // The server workspace's PGlite (not a root dependency), typed as far as used here.
  type Pglite = { query<R>(sql: string, params: unknown[]): Promise<{ rows: R[] }>; close(): Promise<void> };
  const { PGlite } = (await import(pathToFileURL(serverRequire.resolve('@electric-sql/pglite')).href)) as { PGlite: new (dir: string) => Pglite };
  const db = new PGlite(path.join(dataDir, 'pglite'));
  try {
    const { rows } = await db.query<{ id: string; due: number }>(DUE_SQL, [ids]);
    return new Map(rows.map((r) => [r.id, Number(r.due)]));
  } finally {
    await db.close();
  }
}

function burstRows(r: Record<Target, BurstResult | null | undefined>): Row[] {
  const get = (f: (x: BurstResult) => number | string | null) => ({
    floor: r.floor ? f(r.floor) : null,
    postgres: r.postgres ? f(r.postgres) : null,
    embedded: r.embedded ? f(r.embedded) : null,
  });
  const late = (x: BurstResult, p: 'p50' | 'p99' | 'max') => (x.lateness && x.lateness.length ? summarize(x.lateness)[p] : null);
  return [
    { metric: 'sockets opened', ...get((x) => x.opened) },
    { metric: 'acks ok', ...get((x) => x.acked) },
    { metric: 'errors by code', ...get((x) => counts(x.errors)), targetPostgres: '0', targetEmbedded: '0' },
    { metric: 'all acked in s', ...get((x) => x.intakeSeconds), ratio: true },
    { metric: 'ack p50 ms', ...get((x) => summarize(x.ackMs).p50), ratio: true },
    { metric: 'ack p99 ms', ...get((x) => summarize(x.ackMs).p99), ratio: true },
    { metric: 'replies received', ...get((x) => x.replies), targetPostgres: `all ${BURST}`, targetEmbedded: `all ${BURST}` },
    { metric: 'reply lateness p50 ms', ...get((x) => late(x, 'p50')) },
    { metric: 'reply lateness p99 ms', ...get((x) => late(x, 'p99')), targetPostgres: '≤ 1000', targetEmbedded: '≤ 2000' },
    { metric: 'reply lateness max ms', ...get((x) => late(x, 'max')) },
    { metric: 'dropped sockets', ...get((x) => counts(x.dropped)), targetEmbedded: '0' },
    { metric: 'connect failures', ...get((x) => x.connectFailures) },
  ];
}

// ---------------------------------------------------------------------------------------------

export async function runLoadBench(): Promise<void> {
  console.log(
    `load bench: ${SECONDS} s × ${ROUNDS} rounds, visitors ${VISITOR_COUNTS.join('/')}, REST ×${REST_CONCURRENCY}, burst ${BURST}, idle ${IDLE}; ` +
      `scenarios ${[...SCENARIOS].join(',')}; modes ${[...MODES].join(',')}; load average ${(await loadAverage()).join(' ')}`,
  );
  await ensureServerBuilt();
  const floorDb = await createTestDatabase();
  cleanups.push(floorDb.drop);
  const onSignal = () => void shutdown().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  const shutdown = async () => {
    closeAllSockets();
    for (const server of [...running]) await stop(server).catch(() => undefined);
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: Error) => console.log(`cleanup: ${error.message}`));
    cleanups.length = 0;
  };
  try {
    const floorWatch = await watchDatabase(floorDb.url);
    cleanups.push(floorWatch.end);

    if (SCENARIOS.has('throughput') || SCENARIOS.has('rest') || SCENARIOS.has('idle')) {
      const delaysOff = { DELAYS_ENABLED: 'false' };
      const servers: Partial<Record<Target, Measured>> = {};
      let storage: ProductStorage;
      const startAll = async (floorScript: string) => {
        storage = await productStorage();
        servers.floor = (await guarded('floor', 60_000, () => start(() => spawnFloor('floor', floorScript, floorDb.url)))) ?? undefined;
        if (MODES.has('postgres'))
          servers.postgres = (await guarded('postgres+redis', 150_000, () => start(() => spawnProduct('postgres', productEnv(storage, 'postgres', delaysOff))))) ?? undefined;
        if (MODES.has('embedded')) {
          const t0 = performance.now();
          servers.embedded = (await guarded('embedded', 150_000, () => start(() => spawnProduct('embedded', productEnv(storage, 'embedded', delaysOff))))) ?? undefined;
          if (servers.embedded) console.log(`  embedded server ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (first start: migrations on an empty DATA_DIR)`);
        }
      };
      const watchOf = (t: Target) => (t === 'floor' ? floorWatch : t === 'postgres' ? storage.watch : null);
      const order: Target[] = ['floor', 'postgres', 'embedded'];

      if (SCENARIOS.has('throughput') || SCENARIOS.has('idle')) {
        await startAll('floor-socket-server.mjs');
        if (SCENARIOS.has('throughput')) {
          const tallies = new Map(VISITOR_COUNTS.map((n) => [n, { floor: emptyTally(), postgres: emptyTally(), embedded: emptyTally() } as Record<Target, Tally>]));
          for (let round = 0; round < ROUNDS; round++) {
            for (const n of VISITOR_COUNTS) {
              for (const t of order) {
                const server = servers[t];
                if (!server) continue;
                console.log(`  throughput round ${round + 1}/${ROUNDS}: ${n} visitors → ${t}`);
                await guarded(`${n} visitors on ${t}`, (SECONDS + 180) * 1000, () => socketRound(server, watchOf(t), t !== 'floor', n, tallies.get(n)![t]));
              }
            }
          }
          for (const n of VISITOR_COUNTS) {
            const t = tallies.get(n)!;
            printTable(
              `${n} visitors, send → ack → send, ${SECONDS} s × ${ROUNDS} rounds, delays off, full bot path`,
              throughputRows({ floor: servers.floor && t.floor, postgres: servers.postgres && t.postgres, embedded: servers.embedded && t.embedded }, 'socket'),
            );
          }
        }
        if (SCENARIOS.has('idle')) {
          const results: Partial<Record<Target, IdleResult | null>> = {};
          for (const t of order) {
            const server = servers[t];
            if (!server) continue;
            console.log(`  idle: ${IDLE} sockets → ${t}`);
            results[t] = await guarded(`idle on ${t}`, 600_000, () => idleRun(server, IDLE));
            closeAllSockets();
          }
          printTable(`${IDLE} idle widget sockets (heap after a forced GC, before − after; ${CONNECT_CONCURRENCY} handshakes in flight)`, idleRows(results as Record<Target, IdleResult | null>));
        }
        for (const t of order) await stop(servers[t]);
      }

      if (SCENARIOS.has('rest')) {
        await startAll('floor-rest-server.mjs');
        // Production refuses keyless REST calls: a key per product store (the embedded one while its server is stopped).
        const keys: Partial<Record<Target, string | null>> = {};
        if (servers.postgres) keys.postgres = await guarded('API key (postgres)', 90_000, () => createApiKey(productEnv(storage!, 'postgres', {})));
        if (servers.embedded) {
          await stop(servers.embedded);
          keys.embedded = await guarded('API key (embedded)', 90_000, () => createApiKey(productEnv(storage!, 'embedded', {})));
          servers.embedded = (await guarded('embedded', 150_000, () => start(() => spawnProduct('embedded', productEnv(storage!, 'embedded', { DELAYS_ENABLED: 'false' }))))) ?? undefined;
        }
        const tally: Record<Target, Tally> = { floor: emptyTally(), postgres: emptyTally(), embedded: emptyTally() };
        for (let round = 0; round < ROUNDS; round++) {
          for (const t of order) {
            const server = servers[t];
            if (!server) continue;
            console.log(`  REST round ${round + 1}/${ROUNDS} → ${t}`);
            await guarded(`REST on ${t}`, (SECONDS + 120) * 1000, () => restRound(server, watchOf(t), t !== 'floor', tally[t], keys[t] ?? null));
          }
        }
        const refused = (['postgres', 'embedded'] as const).filter((t) => tally[t].statuses['401'] || tally[t].statuses['403']);
        if (refused.length) console.log(`  REST: the product answered 401/403 (an API key is required now) on ${refused.join(', ')}: its figures are skipped`);
        printTable(
          `REST POST /api/messages/, ${REST_CONCURRENCY} concurrent callers, ${SECONDS} s × ${ROUNDS} rounds, delays off`,
          throughputRows(
            {
              floor: servers.floor && tally.floor,
              postgres: servers.postgres && !refused.includes('postgres') ? tally.postgres : undefined,
              embedded: servers.embedded && !refused.includes('embedded') ? tally.embedded : undefined,
            },
            'rest',
          ),
        );
        for (const t of order) await stop(servers[t]);
      }
    }

    if (SCENARIOS.has('statements') && MODES.has('postgres')) {
      const storage = await productStorage();
      const wire = await startWireCounter();
      cleanups.push(wire.close);
      const results: Partial<Record<Target, WireResult | null>> = {};
      const visitors = VISITOR_COUNTS[0] ?? 50;
      const floor = await guarded('floor', 60_000, () => start(() => spawnFloor('floor', 'floor-socket-server.mjs', wire.url(floorDb.url))));
      if (floor) {
        console.log(`  statements: ${visitors} visitors → floor, through the counting proxy`);
        results.floor = await guarded('statements on floor', (SECONDS + 180) * 1000, () => wireRun(floor, wire, null, visitors));
        await stop(floor);
      }
      const proxied = { ...storage, db: { ...storage.db, url: wire.url(storage.db.url) } };
      const product = await guarded('postgres+redis', 150_000, () => start(() => spawnProduct('postgres', productEnv(proxied, 'postgres', { DELAYS_ENABLED: 'false' }))));
      if (product) {
        console.log(`  statements: ${visitors} visitors → postgres, through the counting proxy`);
        results.postgres = await guarded('statements on postgres', (SECONDS + 180) * 1000, () => wireRun(product, wire, storage.watch, visitors));
        await stop(product);
      }
      printTable(
        `statements on the wire (a counting proxy before Postgres: Execute + Query; round trips: Sync + Query), ${visitors} visitors, ${SECONDS} s, end to end (drained)`,
        wireRows(results as Record<Target, WireResult | null>),
      );
    }

    if (SCENARIOS.has('burst')) {
      const delaysOn = { DELAYS_ENABLED: 'true', RESPONSE_DELAY_SECONDS: String(BURST_DELAY_SECONDS), PACING_JITTER: '0' };
      const results: Partial<Record<Target, BurstResult | null>> = {};
      const storage = await productStorage();
      const floor = await guarded('floor', 60_000, () => start(() => spawnFloor('floor', 'floor-socket-server.mjs', floorDb.url)));
      if (floor) {
        console.log(`  burst: ${BURST} first messages → floor`);
        results.floor = await guarded('burst on floor', 300_000, () => burstRun(floor, BURST, null));
        await stop(floor);
      }
      for (const mode of ['postgres', 'embedded'] as const) {
        if (!MODES.has(mode)) continue;
        closeAllSockets();
        const server = await guarded(mode, 150_000, () => start(() => spawnProduct(mode, productEnv(storage, mode, delaysOn))));
        if (!server) continue;
        console.log(`  burst: ${BURST} first messages → ${mode}`);
        const due =
          mode === 'postgres'
            ? async (ids: string[]) => new Map((await storage.watch.query<{ id: string; due: number }>(DUE_SQL, [ids])).map((r) => [r.id, Number(r.due)]))
            : async (ids: string[]) => {
                await stop(server); // PGlite's directory is one process's at a time
                return dueTimesFromPglite(storage.dataDir.dir, ids);
              };
        results[mode] = await guarded(`burst on ${mode}`, 600_000, () => burstRun(server, BURST, due));
        if (results[mode]?.note) console.log(`  ${mode}: ${results[mode]!.note}`);
        await stop(server);
      }
      printTable(
        `burst: ${BURST} visitors connect, then all send their first message at once (RESPONSE_DELAY_SECONDS=${BURST_DELAY_SECONDS}, PACING_JITTER=0; lateness = arrival − PendingReply.dueAt)`,
        burstRows(results as Record<Target, BurstResult | null>),
      );
    }

    if (SCENARIOS.has('hostpage')) {
      const hostPage = path.join(path.dirname(fileURLToPath(import.meta.url)), 'host-page.ts');
      if (existsSync(hostPage)) {
        console.log('\nhost page (bench/host-page.ts):');
        await guarded('host page', 600_000, async () => (await import('./host-page.ts')).runHostPageBench());
      } else console.log('\nhost page: skipped (bench/host-page.ts does not exist yet)');
    }
    console.log(`\nload average at the end: ${(await loadAverage()).join(' ')}`);
  } finally {
    process.off('SIGINT', onSignal);
    await shutdown();
  }
}

async function loadAverage(): Promise<string[]> {
  const { loadavg } = await import('node:os');
  return loadavg().map((v) => v.toFixed(2));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runLoadBench().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
