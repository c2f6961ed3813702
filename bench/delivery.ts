/**
 * Delivery bench, on real server processes (`node --import tsx server/src/main.ts`):
 *
 *  (a) lateness — 1,000 REST conversations each get one paced reply (jitter 0) posted to a
 *      loopback webhook; per reply: webhook arrival − the planned `response.deliver_at`, and the
 *      server's own `sent_at` (the bot message's creation, the moment a widget would get it) −
 *      `deliver_at`. On the embedded default (file PGlite) and on Postgres + Redis; in both the
 *      planning process's timer delivers. Goal p99 ≤ 100 ms late (stretch ≤ 20 ms). The reply delay is longer than the
 *      intake takes on this machine, so all 1,000 replies are pending at once (the peak is
 *      printed); replies that fell due while messages were still arriving are summarized apart.
 *  (b) chaos — 1,000 widget messages from 100 visitors over Socket.IO (each waits for the
 *      answer before writing again), with random connection drops (re-sending unacked messages
 *      after reconnecting) and one SIGKILL + restart of the server in the middle; then, from the
 *      database: lost / duplicated visitor messages and lost / duplicated replies. All four must
 *      be 0. A visitor waits at most 70 s for an answer; writing again then cancels the late
 *      reply, which counts as lost.
 *
 *   pnpm exec tsx bench/delivery.ts
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { MessageDto, SentMessage } from '@support-chat/protocol';
import { createTestDatabase } from '../server/src/adapters/db/migrate.ts';
import { claimRedisDatabase, freePort, openSql, sleep, spawnServer, tempDataDir, type ServerProcess } from '../server/test/support/server-process.ts';
import { summarize } from './percentiles.ts';
import { tryVisitorSocket, type VisitorCursor, type VisitorSocket } from './visitor-socket.ts';

type Mode = 'embedded' | 'postgres+redis';

const LATENESS_CONVERSATIONS = 1000;
/**
 * Longer than the intake of 1,000 messages takes here, so every reply is pending at once, with
 * room for a busy day on a shared machine (intake has taken 15–38 s embedded, 10–21 s on Postgres).
 */
const LATENESS_DELAY_SECONDS: Record<Mode, string> = { embedded: '60', 'postgres+redis': '40' };
const LATENESS_CONCURRENCY = 50;
const WARMUP_CONVERSATIONS = 20;

const CHAOS_VISITORS = 100;
const CHAOS_MESSAGES_EACH = 10;
const CHAOS_KILL_AFTER_ACKS = 500;
/** Chance that the connection drops right after a send (before its ack) / while awaiting a reply. */
const DROP_ON_SEND = 0.08;
const DROP_WHILE_WAITING = 0.04;
/** How long a visitor waits for an answer before writing on (which cancels the late reply). */
const REPLY_PATIENCE_MS = 70_000;

// Understood, non-escalating requests (the bench measures delivery, not escalation).
const TEXTS = [
  'Сколько стоит тариф 500 мегабит?',
  'Не работает интернет, роутер мигает красным',
  'Как поменять пароль от личного кабинета?',
  'Как оплатить счёт картой?',
  'Спасибо большое!',
  'Медленный интернет вечером',
  'how much is the 1 gig plan',
  'how do I change my account email',
  'my wifi router keeps dropping the connection',
  'Когда спишется абонентская плата?',
];

const QUIET = { LOG_LEVEL: 'error', RATE_LIMIT_ENABLED: 'false', ESCALATION_REPEAT_THRESHOLD: '1000000', LOW_CONFIDENCE_STREAK: '1000000' };

/** A fresh store for one run: a temp DATA_DIR, or a new Postgres database and a Redis index of our own. */
async function storage(mode: Mode): Promise<{ env: Record<string, string>; databaseUrl: string | null; cleanup(): Promise<void> }> {
  if (mode === 'embedded') {
    const data = await tempDataDir();
    return { env: { DATA_DIR: data.dir }, databaseUrl: null, cleanup: data.remove };
  }
  const [database, redis] = await Promise.all([createTestDatabase(), claimRedisDatabase()]);
  return {
    env: { DATABASE_URL: database.url, REDIS_URL: redis.url },
    databaseUrl: database.url,
    cleanup: async () => {
      await redis.release();
      await database.drop();
    },
  };
}

const fmt = (s: { p50: number; p99: number; max: number; n: number }) =>
  `p50=${Math.round(s.p50)}ms p99=${Math.round(s.p99)}ms max=${Math.round(s.max)}ms n=${s.n}`;

// ---------------------------------------------------------------------------------------------
// (a) lateness

interface Arrival {
  receivedAt: number;
  sentAt: number;
}

/** A loopback webhook endpoint; arrivals are keyed by client_id (one conversation each). */
async function webhookReceiver() {
  const arrivals = new Map<string, Arrival>();
  let duplicates = 0;
  const server: Server = createServer((req, res) => {
    const receivedAt = Date.now();
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw) as { client_id: string; sent_at: string };
      if (arrivals.has(body.client_id)) duplicates++;
      else arrivals.set(body.client_id, { receivedAt, sentAt: Date.parse(body.sent_at) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    host: `127.0.0.1:${port}`,
    arrivals,
    duplicates: () => duplicates,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs `task(i)` for i < count with at most `concurrency` at a time. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

export async function measureLateness(mode: Mode): Promise<void> {
  const hook = await webhookReceiver();
  const store = await storage(mode);
  let server: ServerProcess | null = null;
  try {
    server = await spawnServer({
      ...store.env,
      ...QUIET,
      DELAYS_ENABLED: 'true',
      RESPONSE_DELAY_SECONDS: LATENESS_DELAY_SECONDS[mode],
      TYPING_MAX_SECONDS: '0.5',
      PACING_JITTER: '0',
      WEBHOOK_ALLOWED_HOSTS: hook.host,
    });
    const url = server.url;
    const run = `${mode === 'embedded' ? 'e' : 'p'}${Date.now().toString(36)}`;
    const planned = new Map<string, { acceptedAt: number; dueAt: number }>();
    const post = async (clientId: string, text: string) => {
      const res = await fetch(`${url}/api/messages/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-platform': 'bench', 'x-webhook-url': hook.url },
        body: JSON.stringify({ client_id: clientId, content: text, client_message_id: `${clientId}-1` }),
      });
      if (!res.ok) throw new Error(`POST /api/messages/ answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { response: { deliver_at: string } | null };
      if (!body.response) throw new Error(`no reply planned for ${clientId}`);
      planned.set(clientId, { acceptedAt: Date.now(), dueAt: Date.parse(body.response.deliver_at) });
    };

    // Warm-up (JIT, caches, connection pools), not counted.
    await pool(WARMUP_CONVERSATIONS, 10, (i) => post(`${run}-warm-${i}`, TEXTS[i % TEXTS.length]!));
    // (their replies fall due later, among the measured ones, and are not counted)

    const started = performance.now();
    await pool(LATENESS_CONVERSATIONS, LATENESS_CONCURRENCY, (i) => post(`${run}-${i}`, TEXTS[i % TEXTS.length]!));
    const acceptSeconds = (performance.now() - started) / 1000;
    const intakeEnded = Date.now();
    const total = WARMUP_CONVERSATIONS + LATENESS_CONVERSATIONS;
    await waitUntil(() => hook.arrivals.size >= total, 120_000);
    await sleep(1000); // a second copy of any webhook would arrive by now

    const late: number[] = [];
    const serverLate: number[] = [];
    // Due after the last message was accepted: delivery with no intake competing for the CPU.
    const quietLate: number[] = [];
    const quietServerLate: number[] = [];
    const events: Array<[number, number]> = [];
    for (const [clientId, plan] of planned) {
      if (clientId.includes('-warm-')) continue;
      const arrival = hook.arrivals.get(clientId);
      if (!arrival) continue;
      late.push(arrival.receivedAt - plan.dueAt);
      if (plan.dueAt > intakeEnded) {
        quietLate.push(arrival.receivedAt - plan.dueAt);
        quietServerLate.push(arrival.sentAt - plan.dueAt);
      }
      serverLate.push(arrival.sentAt - plan.dueAt);
      events.push([plan.acceptedAt, 1], [arrival.receivedAt, -1]);
    }
    let pending = 0;
    let peak = 0;
    for (const [, delta] of events.sort((x, y) => x[0] - y[0] || x[1] - y[1])) peak = Math.max(peak, (pending += delta));
    const missing = LATENESS_CONVERSATIONS - late.length;

    console.log(`delivery lateness (${mode}): ${fmt(summarize(late))}  [webhook arrival − deliver_at; goal p99 ≤ 100ms, stretch ≤ 20ms]`);
    console.log(
      `  server-side sent_at − deliver_at: ${fmt(summarize(serverLate))}; early=${late.filter((v) => v < 0).length} missing=${missing} duplicate webhooks=${hook.duplicates()}; ` +
        `${LATENESS_CONVERSATIONS} messages accepted in ${acceptSeconds.toFixed(1)}s, peak pending replies=${peak}`,
    );
    const quiet = summarize(quietServerLate);
    console.log(
      `  due after intake ended (delivery alone): ${fmt(summarize(quietLate))}; server-side p50=${Math.round(quiet.p50)}ms p99=${Math.round(quiet.p99)}ms max=${Math.round(quiet.max)}ms`,
    );
  } finally {
    await server?.kill('SIGTERM');
    await hook.close();
    await store.cleanup();
  }
}

async function waitUntil(check: () => boolean | Promise<boolean>, ms: number, step = 50): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await sleep(step);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// (b) chaos


interface ChaosStats {
  acked: number;
  drops: number;
  resends: number;
  duplicateAcks: number;
  replyTimeouts: number;
  /** From the ack to the visitor seeing the bot's answer (ms), for every answered message. */
  replyWaits: number[];
  /** Set when the run must end (the restart failed): every loop gives up. */
  abort: Error | null;
}

/** A widget as the real one behaves: resumes by seq, re-sends what was not acked. */
class ChaosVisitor {
  readonly visitorId = `chaos-${randomUUID()}`;
  readonly sent: string[] = [];
  private socket: VisitorSocket | null = null;
  private readonly cursor: VisitorCursor = { visitorId: this.visitorId, conversationId: null, lastSeq: 0, seen: new Map() };

  constructor(
    private readonly url: () => string,
    private readonly stats: ChaosStats,
  ) {}

  private record(message: MessageDto): void {
    if (message.conversationId !== this.cursor.conversationId) return;
    this.cursor.seen.set(message.seq, message);
    this.cursor.lastSeq = Math.max(this.cursor.lastSeq, message.seq);
  }

  private check(): void {
    if (this.stats.abort) throw this.stats.abort;
  }

  /** Connects (retrying while the server is down) and takes in the history it missed. */
  private async connected(): Promise<VisitorSocket> {
    if (this.socket?.connected) return this.socket;
    this.socket?.close();
    for (;;) {
      this.check();
      const socket = await tryVisitorSocket(this.url(), this.cursor, (m) => this.record(m));
      if (socket) {
        this.socket = socket;
        return socket;
      }
      await sleep(200 + Math.random() * 300);
    }
  }

  /** The network drops under the socket: no goodbye, no ack. */
  private drop(): void {
    this.stats.drops++;
    this.socket?.io.engine.close();
  }

  /** Sends until acknowledged, re-sending the same clientMessageId after every drop. */
  private async sendReliably(text: string): Promise<SentMessage> {
    const clientMessageId = randomUUID();
    this.sent.push(clientMessageId);
    for (let attempt = 0; ; attempt++) {
      this.check();
      if (attempt > 0) this.stats.resends++;
      const socket = await this.connected();
      const gone = new Promise<null>((resolve) => socket.once('disconnect', () => resolve(null)));
      const acked = socket
        .timeout(5000)
        .emitWithAck('message:send', { clientMessageId, text })
        .catch(() => null);
      if (Math.random() < DROP_ON_SEND) this.drop();
      const ack = await Promise.race([acked, gone]);
      if (ack?.ok) {
        if (ack.data.duplicate) this.stats.duplicateAcks++;
        if (ack.data.conversationId !== this.cursor.conversationId) {
          this.cursor.conversationId = ack.data.conversationId;
          this.cursor.seen.clear();
        }
        this.cursor.lastSeq = Math.max(this.cursor.lastSeq, ack.data.seq);
        return ack.data;
      }
      if (ack && !ack.ok && ack.error.code !== 'internal_error') throw new Error(`message refused: ${ack.error.code}`);
      await sleep(100);
    }
  }

  /** Waits for the bot's answer (seq after ours), reconnecting when the connection goes. */
  private async awaitReply(afterSeq: number): Promise<void> {
    const started = Date.now();
    let dropAhead = Math.random() < DROP_WHILE_WAITING;
    while (Date.now() < started + REPLY_PATIENCE_MS) {
      this.check();
      if ([...this.cursor.seen.values()].some((m) => m.seq > afterSeq && m.author === 'bot')) {
        this.stats.replyWaits.push(Date.now() - started);
        return;
      }
      if (dropAhead && Math.random() < 0.2) {
        dropAhead = false; // somewhere in the first few hundred ms of the wait
        this.drop();
      }
      if (!this.socket?.connected) await this.connected();
      await sleep(50);
    }
    this.stats.replyTimeouts++;
  }

  async run(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const sent = await this.sendReliably(TEXTS[(i + this.visitorId.charCodeAt(7)) % TEXTS.length]!);
      this.stats.acked++;
      await this.awaitReply(sent.seq);
      await sleep(Math.random() * 200);
    }
    this.socket?.close();
  }
}

interface ChaosCounts {
  sent: number;
  stored: number;
  lostMessages: number;
  duplicatedMessages: number;
  lostReplies: number;
  duplicatedReplies: number;
  orphanBotMessages: number;
  lostReplyStates: Record<string, number>;
}

async function countFromDatabase(databaseUrl: string, sentIds: string[]): Promise<ChaosCounts> {
  const db = await openSql(databaseUrl);
  try {
    const visitorRows = await db.query<{ clientMessageId: string; copies: number }>(
      `SELECT "clientMessageId", count(*)::int AS copies FROM "Message" WHERE author = 'VISITOR' GROUP BY 1`,
    );
    const copies = new Map(visitorRows.map((r) => [r.clientMessageId, r.copies]));
    const replyRows = await db.query<{ replies: number; states: string | null }>(`
      SELECT count(b.id)::int AS replies, string_agg(DISTINCT p.status::text, ',') AS states
      FROM "Message" m
      LEFT JOIN "PendingReply" p ON p."inReplyTo" = m.id
      LEFT JOIN "Message" b ON b.id = p."messageId" AND p.status = 'DELIVERED'
      WHERE m.author = 'VISITOR'
      GROUP BY m.id`);
    const orphans = await db.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM "Message" b
      WHERE b.author = 'BOT' AND NOT EXISTS (SELECT 1 FROM "PendingReply" p WHERE p."messageId" = b.id)`);
    const lostReplyStates: Record<string, number> = {};
    for (const r of replyRows.filter((r) => r.replies === 0)) {
      const key = r.states ?? 'never planned';
      lostReplyStates[key] = (lostReplyStates[key] ?? 0) + 1;
    }
    const stored = visitorRows.reduce((n, r) => n + r.copies, 0);
    return {
      sent: sentIds.length,
      stored,
      lostMessages: sentIds.filter((id) => !copies.has(id)).length,
      duplicatedMessages: visitorRows.reduce((n, r) => n + (r.copies - 1), 0),
      lostReplies: replyRows.filter((r) => r.replies === 0).length,
      duplicatedReplies: replyRows.filter((r) => r.replies > 1).length,
      orphanBotMessages: orphans[0]!.n,
      lostReplyStates,
    };
  } finally {
    await db.end();
  }
}

export async function runChaos(): Promise<void> {
  const store = await storage('postgres+redis');
  const env = {
    ...store.env,
    ...QUIET,
    PORT: String(await freePort()), // the restart comes back on the same address
    DELAYS_ENABLED: 'true',
    RESPONSE_DELAY_SECONDS: '0.5',
    FAREWELL_DELAY_SECONDS: '0.5',
    TYPING_MAX_SECONDS: '0.3',
    PACING_JITTER: '0.1',
  };
  let server: ServerProcess | null = await spawnServer(env);
  const url = server.url;
  const stats: ChaosStats = { acked: 0, drops: 0, resends: 0, duplicateAcks: 0, replyTimeouts: 0, replyWaits: [], abort: null };
  const visitors = Array.from({ length: CHAOS_VISITORS }, () => new ChaosVisitor(() => url, stats));
  let downMs = 0;
  try {
    const started = performance.now();
    const crash = (async () => {
      await waitUntil(() => stats.acked >= CHAOS_KILL_AFTER_ACKS || stats.abort !== null, 120_000, 10);
      const killedAt = performance.now();
      await server!.kill('SIGKILL');
      server = await spawnServer(env);
      downMs = performance.now() - killedAt;
    })().catch((error: Error) => {
      stats.abort = new Error(`the restart failed: ${error.message}`);
    });
    const overall = setTimeout(() => (stats.abort ??= new Error('the chaos flow did not finish in 150 s')), 150_000);
    const progress = process.env.BENCH_PROGRESS
      ? setInterval(() => console.log(`  … acked=${stats.acked} drops=${stats.drops} resends=${stats.resends} timeouts=${stats.replyTimeouts}`), 2000)
      : null;
    const runs = await Promise.allSettled(visitors.map((v) => v.run(CHAOS_MESSAGES_EACH)));
    await crash;
    clearTimeout(overall);
    if (progress) clearInterval(progress);
    if (stats.abort) throw stats.abort;
    const failed = runs.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const flowSeconds = (performance.now() - started) / 1000;

    // Settle: nothing pending, nothing undecided (or give up and count what is there).
    const db = await openSql(store.databaseUrl!);
    await waitUntil(async () => {
      const rows = await db.query<{ n: number }>(`
        SELECT (SELECT count(*) FROM "PendingReply" WHERE status = 'PENDING')
             + (SELECT count(*) FROM "Message" WHERE author = 'VISITOR' AND category IS NULL) AS n`);
      return Number(rows[0]!.n) === 0;
    }, 70_000, 200);
    await db.end();
    await sleep(1000);

    const c = await countFromDatabase(store.databaseUrl!, visitors.flatMap((v) => v.sent));
    console.log(
      `delivery chaos (postgres+redis, ${CHAOS_VISITORS} visitors, 1 SIGKILL+restart): sent=${c.sent} stored=${c.stored} ` +
        `lost_messages=${c.lostMessages} duplicated_messages=${c.duplicatedMessages} lost_replies=${c.lostReplies} duplicated_replies=${c.duplicatedReplies}  [goal: all 0]`,
    );
    const waits = summarize(stats.replyWaits);
    console.log(
      `  connection drops=${stats.drops} re-sends=${stats.resends} duplicate acks=${stats.duplicateAcks} orphan bot messages=${c.orphanBotMessages}; ` +
        `server down ${(downMs / 1000).toFixed(1)}s, flow took ${flowSeconds.toFixed(1)}s`,
    );
    console.log(
      `  ack → answer seen: p50=${Math.round(waits.p50)}ms p99=${Math.round(waits.p99)}ms max=${Math.round(waits.max)}ms; ` +
        `answers later than 5s=${stats.replyWaits.filter((w) => w > 5000).length}, none within ${REPLY_PATIENCE_MS / 1000}s=${stats.replyTimeouts}` +
        (c.lostReplies > 0 ? `; lost replies by reply state: ${JSON.stringify(c.lostReplyStates)}` : ''),
    );
  } finally {
    await server?.kill('SIGTERM');
    await store.cleanup();
  }
}

export async function runDeliveryBench(): Promise<void> {
  await measureLateness('embedded');
  await measureLateness('postgres+redis');
  await runChaos();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDeliveryBench().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
