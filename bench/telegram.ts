/**
 * Telegram bench: first messages of new private chats (understood questions) POSTed to the webhook
 * of a real server process with delays off; per update, the time from sending it to the webhook
 * until the fake Bot API (in this process) receives the sendMessage that answers it. On
 * Postgres + Redis (goal p99 ≤ 100 ms) and on the embedded default, two loads each:
 *
 *  - 1 in flight (200 updates, one after another): the latency of the path itself, no queueing;
 *  - 40 in flight (1,000 updates): Telegram's own concurrency — it delivers a bot's webhook
 *    updates over up to `max_connections` parallel requests, 40 unless setWebhook says otherwise.
 *    A closed loop: each sender posts its next update once the previous one is answered, so this
 *    is the server's saturation throughput, and latency ≈ 40 / throughput.
 *
 * Per load: p50/p99/max, updates/s, the server's CPU per update (/proc/<pid>/stat utime+stime,
 * the embedded database's thread included), and on Postgres the database's committed
 * transactions per update (= statements: the path runs no interactive transaction; read once
 * Postgres' statistics settled; idle sweeps included), the rows it wrote per update (in all and
 * by table: a new chat's visitor and conversation are part of each) and its backends' CPU per
 * update (the backends of the bench's database, read just before and after the run: one that
 * exits during it is missed). This process's own CPU per update is printed too — the senders and the fake Bot
 * API share the machine with the server, and throughput is what the three leave each other.
 * The senders post with node's `http.request` on a keep-alive agent, not `fetch`, which costs
 * this process several times as much CPU per request.
 * The machine is shared: the load average is printed beside the numbers.
 *
 *   pnpm bench telegram        (knobs: TELEGRAM_BENCH_MODES=postgres+redis,embedded TELEGRAM_BENCH_UPDATES=1000)
 */
import http from 'node:http';
import { loadavg } from 'node:os';
import { createTestDatabase } from '../server/src/adapters/db/migrate.ts';
import { claimRedisDatabase, spawnServer, tempDataDir, type ServerProcess } from '../server/test/support/server-process.ts';
import { startFakeBotApi, textUpdate, type FakeBotApi } from '../server/test/support/fake-bot-api.ts';
import { cpuMs } from './load/processes.ts';
import { perMessage, watchDatabase, type DbWatch } from './load/pg-counters.ts';
import { ms, summarize } from './percentiles.ts';

const UPDATES = Number(process.env.TELEGRAM_BENCH_UPDATES ?? 1000);
const SEQUENTIAL_UPDATES = 200;
const WARMUP = 30;
/**
 * Updates at full concurrency before measuring: the optimizing compiler is still at work for the
 * first few hundred (server CPU per update fell from ~5.5 to ~3.5 ms over the first 1,500 at load
 * 11), and measuring during it measures the compiler.
 */
const WARMUP_CONCURRENT = 400;
/** Telegram's default `max_connections` for a webhook. */
const TELEGRAM_CONCURRENCY = 40;
const SECRET = 'bench-webhook-secret';
const TEXTS = ['Сколько стоит тариф 500 мегабит?', 'Как оплатить счёт картой?', 'Как поменять пароль от личного кабинета?', 'how do I change my account email'];

type Mode = 'postgres+redis' | 'embedded';

interface Target {
  server: ServerProcess;
  api: FakeBotApi;
  db: DbWatch | null;
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

const senders = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One webhook request; resolves with the answer's status once its body was read. */
function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: senders, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-telegram-bot-api-secret-token': SECRET } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends updates `from … from + count − 1` with `concurrency` in flight; latencies in ms. */
async function drive(target: Target, from: number, count: number, concurrency: number): Promise<{ latencies: number[]; seconds: number }> {
  const url = `${target.server.url}/api/integrations/telegram/webhook/demo`;
  const sentAt = new Map<string, number>();
  const answered = new Map<string, () => void>();
  const latencies: number[] = [];
  target.api.onCall = (call) => {
    if (call.method !== 'sendMessage') return;
    const chat = String(call.params.chat_id);
    const start = sentAt.get(chat);
    if (start === undefined) return;
    sentAt.delete(chat);
    latencies.push(call.at - start);
    answered.get(chat)?.();
  };
  const send = async (i: number) => {
    const chatId = String(7_000_000 + i);
    const done = new Promise<void>((resolve) => answered.set(chatId, resolve));
    sentAt.set(chatId, Date.now());
    const status = await post(url, JSON.stringify({ update_id: i + 1, ...textUpdate(TEXTS[i % TEXTS.length]!, { id: Number(chatId) }, 1) }));
    if (status !== 200) throw new Error(`webhook answered ${status}`);
    await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`no sendMessage for update ${i} within 30 s`)), 30_000).unref())]);
    answered.delete(chatId);
  };
  let next = from;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < from + count) await send(next++);
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

/** CPU so far (ms) of each Postgres backend serving the bench's database, by pid. */
async function backendCpu(db: DbWatch): Promise<Map<string, number>> {
  const rows = await db.query<{ pid: string }>('SELECT pid::text AS pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  const cpu = new Map<string, number>();
  for (const { pid } of rows) await cpuMs(Number(pid)).then((ms) => cpu.set(pid, ms), () => undefined); // gone meanwhile
  return cpu;
}

async function measure(mode: Mode, target: Target, label: string, from: number, count: number, concurrency: number): Promise<void> {
  const averageBefore = load();
  const counters = target.db ? { ...(await target.db.settled()), own: target.db.ownTransactions() } : null;
  const backendsBefore = target.db ? await backendCpu(target.db) : null;
  const cpuBefore = await cpuMs(target.server.pid);
  const ownBefore = process.cpuUsage();
  const { latencies, seconds } = await drive(target, from, count, concurrency);
  const serverCpu = ((await cpuMs(target.server.pid)) - cpuBefore) / count;
  const own = process.cpuUsage(ownBefore);
  const ownCpu = (own.user + own.system) / 1000 / count;
  const backends = target.db && backendsBefore ? await backendCpu(target.db) : null;
  const s = summarize(latencies);
  let database = '';
  let byTable = '';
  if (target.db && counters) {
    // The outbox marks sent calls after the sendMessage: settling counts those too.
    const after = { ...(await target.db.settled()), own: target.db.ownTransactions() };
    const figures = perMessage(counters, after, count);
    let postgresCpu = 0;
    for (const [pid, ms] of backends!) postgresCpu += ms - (backendsBefore!.get(pid) ?? 0);
    byTable = `\n${''.padEnd(29)} rows written per update by table: ${JSON.stringify(figures.byTable)}`;
    database = `  Postgres: ${figures.transactionsPerMessage.toFixed(2)} statements/update, ${figures.rowsPerMessage.toFixed(1)} rows written/update, ${(postgresCpu / count).toFixed(1)} ms CPU/update`;
  }
  const goal = mode === 'postgres+redis' ? `  goal p99 ≤ 100 ms: ${s.p99 <= 100 ? 'met' : 'NOT met'}` : '';
  console.log(
    `${mode.padEnd(15)} ${label.padEnd(13)} p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)}  (n=${s.n})  ${(count / seconds).toFixed(0)} updates/s  server ${serverCpu.toFixed(1)} ms CPU/update${database}  bench ${ownCpu.toFixed(1)} ms CPU/update${goal}  [load ${averageBefore} → ${load()}]${byTable}`,
  );
}

async function runMode(mode: Mode): Promise<void> {
  const api = await startFakeBotApi();
  let cleanup: () => Promise<void>;
  let env: Record<string, string>;
  let databaseUrl: string | null = null;
  const telegram = { TELEGRAM_BOT_TOKEN: '123456:BENCH-token', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_BASE: api.url, TELEGRAM_MODE: 'webhook', PUBLIC_URL: 'https://chat.example', DELAYS_ENABLED: 'false', LOG_LEVEL: 'error' };
  if (mode === 'embedded') {
    const data = await tempDataDir();
    env = { ...telegram, DATA_DIR: data.dir };
    cleanup = data.remove;
  } else {
    const [database, redis] = await Promise.all([createTestDatabase(), claimRedisDatabase()]);
    databaseUrl = database.url;
    env = { ...telegram, DATABASE_URL: database.url, REDIS_URL: redis.url };
    cleanup = async () => {
      await redis.release();
      await database.drop();
    };
  }
  let server: ServerProcess | null = null;
  let db: DbWatch | null = null;
  try {
    server = await spawnServer(env, { built: true, name: `telegram ${mode}`, timeoutMs: 120_000 });
    db = databaseUrl ? await watchDatabase(databaseUrl) : null;
    const target = { server, api, db };
    // Warm-up (JIT, connection pools, caches): also opens the pool's connections the 40 senders use.
    await drive(target, 100_000, WARMUP, 1);
    await drive(target, 200_000, WARMUP_CONCURRENT, TELEGRAM_CONCURRENCY);
    await measure(mode, target, '1 in flight', 0, SEQUENTIAL_UPDATES, 1);
    await measure(mode, target, `${TELEGRAM_CONCURRENCY} in flight`, SEQUENTIAL_UPDATES, UPDATES, TELEGRAM_CONCURRENCY);
  } finally {
    await db?.end();
    await server?.kill('SIGTERM');
    await cleanup();
    await api.close();
  }
}

export async function runTelegramBench(): Promise<void> {
  const modes = (process.env.TELEGRAM_BENCH_MODES ?? 'postgres+redis,embedded').split(',') as Mode[];
  for (const mode of modes) await runMode(mode);
}
