/**
 * Chaos bench (issue 8): 100 widget visitors for 2 minutes against TWO server processes on
 * Postgres + Redis with paced replies, while the bench SIGKILLs a process five times (it comes
 * back on the same port), cuts Redis for 30 s and Postgres for 30 s. Both are reached through
 * TCP proxies the bench cuts and restores (Postgres: a blackhole, as a network partition; Redis:
 * refused, as a stopped server — `CHAOS_PG_CUT` / `CHAOS_REDIS_CUT` = blackhole | refuse); Redis
 * is a private redis-server, the machine's own Postgres holds a fresh database.
 *
 * Visitors behave like the widget: a client message id per message, re-sent (same id) after an
 * error ack, a missing ack or a reconnect; a visitor whose server is gone connects to the other.
 * Each visitor waits for the answer to its message (or REPLY_PATIENCE_MS) before writing again,
 * and asks for missed messages (`history:since`) while it waits, as a reconnect would.
 *
 * Definitions printed with the numbers:
 *  - acked: distinct client message ids that got an ok ack; lost: acked but not stored; stored
 *    twice: a client message id stored more than once.
 *  - replies expected: one per acked message, except messages whose visitor gave up waiting and
 *    wrote again (then the bot rightly answers the later message only); delivered / lost / twice:
 *    BOT messages per visitor message (Message.inReplyTo, set by either way a reply is written).
 *  - time to an explicit answer during an outage: from a send begun while cut to its ack (ok or
 *    error); a send never answered within ACK_WAIT_MS counts as "no answer".
 *  - recovery: from restore to the first ok ack of a send begun after restore, and to the first
 *    bot reply a visitor receives after restore; the later of the two.
 *
 * Numbers, not assertions. `CHAOS_SECONDS=30 pnpm bench chaos` for a short run (the outages
 * shrink to a quarter of the run); BENCH_PROGRESS=1 prints progress; CHAOS_DELAYS=false for
 * replies due at once (no pacing).
 */
import { randomUUID } from 'node:crypto';
import type { Ack, MessageDto, SentMessage } from '@support-chat/protocol';
import { createTestDatabase } from '../server/src/adapters/db/migrate.ts';
import { startPrivateRedis } from '../server/test/support/private-redis.ts';
import { freePort, openSql, sleep, spawnServer, type ServerProcess } from '../server/test/support/server-process.ts';
import { startTcpProxy, type CutMode, type TcpProxy } from '../server/test/support/tcp-proxy.ts';
import { summarize } from './percentiles.ts';
import { tryVisitorSocket, type VisitorCursor, type VisitorSocket } from './visitor-socket.ts';

const SECONDS = Number(process.env.CHAOS_SECONDS ?? 120);
const VISITORS = Number(process.env.CHAOS_VISITORS ?? 100);
const OUTAGE_MS = Math.min(30_000, (SECONDS * 1000) / 4);
const PG_CUT = (process.env.CHAOS_PG_CUT ?? 'blackhole') as CutMode;
const REDIS_CUT = (process.env.CHAOS_REDIS_CUT ?? 'refuse') as CutMode;
/** A send with no ack by then is "no answer": the visitor reconnects and sends again. */
const ACK_WAIT_MS = 10_000;
/** Longer than an outage plus recovery, so a visitor normally sees every answer. */
const REPLY_PATIENCE_MS = 60_000;
const THINK_MS = [1000, 3000] as const;
/** After the run: how long to let the last replies come and undecided messages settle. */
const SETTLE_MS = 60_000;

const SERVER_ENV = {
  LOG_LEVEL: 'warn',
  RATE_LIMIT_ENABLED: 'false',
  // CHAOS_DELAYS=false: every reply is due at once, written by its decision's statement.
  DELAYS_ENABLED: process.env.CHAOS_DELAYS ?? 'true',
  // Shorter than the defaults (3 s / 4 s / 10 s) so a visitor gets ~25 answers in 2 minutes.
  RESPONSE_DELAY_SECONDS: '1',
  TYPING_MAX_SECONDS: '1',
  FAREWELL_DELAY_SECONDS: '2',
  PACING_JITTER: '0.1',
  // The bench measures survival, not escalation: no rule hands a visitor to an operator.
  ESCALATION_REPEAT_THRESHOLD: '1000000',
  LOW_CONFIDENCE_STREAK: '1000000',
  MASS_OUTAGE_THRESHOLD: '1000000',
};

// Understood, non-escalating requests.
const TEXTS = [
  'Сколько стоит тариф 500 мегабит?',
  'Как поменять пароль от личного кабинета?',
  'Как оплатить счёт картой?',
  'Медленный интернет вечером',
  'how much is the 1 gig plan',
  'how do I change my account email',
  'Когда спишется абонентская плата?',
  'Спасибо большое!',
];


interface Outage {
  what: 'Redis' | 'Postgres';
  cutAt: number;
  restoredAt: number | null;
  /** ms from send to ack, per answered send begun while cut; and sends that got no ack. */
  answered: number[];
  errors: number;
  oks: number;
  noAnswer: number;
  firstAckAfter: number | null;
  firstReplyAfter: number | null;
}

interface Run {
  outages: Outage[];
  stopping: boolean;
}

/** The widget, as far as faults go: resumes by seq, re-sends what was not acked. */
class Visitor {
  readonly visitorId = `chaos-${randomUUID()}`;
  readonly acked = new Set<string>();
  /** Stored visitor message ids whose visitor wrote again without seeing an answer. */
  readonly supersededWithoutReply = new Set<string>();
  private socket: VisitorSocket | null = null;
  private readonly cursor: VisitorCursor = { visitorId: this.visitorId, conversationId: null, lastSeq: 0, seen: new Map() };

  constructor(
    private home: number,
    private readonly urls: string[],
    private readonly run: Run,
  ) {}

  private record(message: MessageDto): void {
    if (message.conversationId !== this.cursor.conversationId) return;
    if (message.author === 'bot' && !this.cursor.seen.has(message.seq)) {
      const now = Date.now();
      for (const o of this.run.outages) if (o.restoredAt !== null && now >= o.restoredAt && o.firstReplyAfter === null) o.firstReplyAfter = now;
    }
    this.cursor.seen.set(message.seq, message);
    this.cursor.lastSeq = Math.max(this.cursor.lastSeq, message.seq);
  }

  /** Connects to its server, or the other one while its own is down; retries until connected. */
  private async connected(): Promise<VisitorSocket> {
    if (this.socket?.connected) return this.socket;
    this.socket?.close();
    for (let attempt = 0; ; attempt++) {
      if (this.run.stopping && attempt >= 20) throw new Error('no server to reconnect to after the run');
      const server = (this.home + attempt) % this.urls.length;
      const socket = await tryVisitorSocket(this.urls[server]!, this.cursor, (m) => this.record(m));
      if (socket) {
        this.home = server;
        this.socket = socket;
        return socket;
      }
      await sleep(200 + Math.random() * 300);
    }
  }

  /** Sends until acknowledged, always with the same client message id. */
  private async sendReliably(text: string): Promise<SentMessage | null> {
    const clientMessageId = randomUUID();
    for (;;) {
      if (this.run.stopping) return null;
      const socket = await this.connected();
      const startedAt = Date.now();
      const during = this.run.outages.filter((o) => o.restoredAt === null);
      const gone = new Promise<'gone'>((resolve) => socket.once('disconnect', () => resolve('gone')));
      const ack: Ack<SentMessage> | 'gone' | null = await Promise.race([
        socket.timeout(ACK_WAIT_MS).emitWithAck('message:send', { clientMessageId, text }).catch(() => null),
        gone,
      ]);
      const tookMs = Date.now() - startedAt;
      for (const o of during) {
        if (ack === null) o.noAnswer++;
        else if (ack !== 'gone') {
          o.answered.push(tookMs);
          if (ack.ok) o.oks++;
          else o.errors++;
        }
      }
      if (ack && ack !== 'gone' && ack.ok) {
        const now = Date.now();
        for (const o of this.run.outages) if (o.restoredAt !== null && startedAt >= o.restoredAt && o.firstAckAfter === null) o.firstAckAfter = now;
        this.acked.add(clientMessageId);
        if (ack.data.conversationId !== this.cursor.conversationId) {
          this.cursor.conversationId = ack.data.conversationId;
          this.cursor.seen.clear();
        }
        this.cursor.lastSeq = Math.max(this.cursor.lastSeq, ack.data.seq);
        return ack.data;
      }
      if (ack === null) socket.close(); // no answer at all: start over on a fresh connection
      await sleep(500 + Math.random() * 500);
    }
  }

  /** Waits for a bot message after `afterSeq`; catches up by history every few seconds. */
  private async awaitReply(sent: SentMessage): Promise<void> {
    const deadline = Date.now() + REPLY_PATIENCE_MS;
    let nextCatchUp = Date.now() + 5000;
    while (Date.now() < deadline) {
      if ([...this.cursor.seen.values()].some((m) => m.seq > sent.seq && m.author === 'bot')) return;
      const socket = this.socket?.connected ? this.socket : await this.connected();
      if (Date.now() >= nextCatchUp) {
        nextCatchUp = Date.now() + 5000;
        const res = await socket.timeout(5000).emitWithAck('history:since', { afterSeq: sent.seq }).catch(() => null);
        if (res?.ok) for (const m of res.data.messages) this.record(m);
      }
      await sleep(100);
    }
    this.supersededWithoutReply.add(sent.id);
  }

  async loop(): Promise<void> {
    try {
      for (let i = Math.floor(Math.random() * TEXTS.length); !this.run.stopping; i++) {
        const sent = await this.sendReliably(TEXTS[i % TEXTS.length]!);
        if (!sent) break;
        await this.awaitReply(sent);
        await sleep(THINK_MS[0] + Math.random() * (THINK_MS[1] - THINK_MS[0]));
      }
    } catch {
      // Only after the run: both servers gone while waiting for a last answer (counted from the database).
    }
  }

  close(): void {
    this.socket?.close();
  }
}

/** Set when the bench ends: exits after that are its own. */
let stopping = false;
const benchStart = Date.now();
/** What happened when, printed as it happens with BENCH_PROGRESS=1 and in the summary. */
const events: string[] = [];
function event(text: string): void {
  const line = `${((Date.now() - benchStart) / 1000).toFixed(1).padStart(6)} s  ${text}`;
  events.push(line);
  if (process.env.BENCH_PROGRESS) console.log(`  ${line}`);
}

/** One of the two server processes, restarted on its port after every kill (planned or not). */
class Slot {
  process: ServerProcess | null = null;
  readonly unplannedExits: string[] = [];
  readonly restartMs: number[] = [];
  /** At most one start at a time: a kill during an unplanned restart waits for it. */
  private starting: Promise<void> | null = null;
  private plannedKill = false;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): Promise<void> {
    this.starting ??= this.spawn().finally(() => (this.starting = null));
    return this.starting;
  }

  private async spawn(): Promise<void> {
    const began = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        this.process = await spawnServer({ ...this.env, PORT: String(this.port) }, { name: this.name, timeoutMs: 30_000 });
        break;
      } catch (error) {
        event(`${this.name} did not start (attempt ${attempt}): ${(error as Error).message.split('\n').slice(0, 3).join(' | ').slice(0, 300)}`);
        if (attempt >= 10 || stopping) throw error;
        await sleep(1000); // e.g. Postgres is still away, or the killed process still holds the port
      }
    }
    this.restartMs.push(Date.now() - began);
    event(`${this.name} serving (pid ${this.process.pid}, ${((Date.now() - began) / 1000).toFixed(1)} s to start)`);
    const started = this.process;
    void started.exited.then((code) => {
      if (this.process !== started || this.plannedKill || stopping) return;
      const tail = started.output().split('\n').slice(-15).join('\n');
      this.unplannedExits.push(`${this.name} (pid ${started.pid}) exited with ${code}:\n${tail}`);
      event(`${this.name} EXITED UNPLANNED with ${code}; restarting`);
      void this.start().catch((error: Error) => event(`restarting ${this.name} failed: ${error.message}`));
    });
  }

  async killAndRestart(): Promise<void> {
    await this.starting?.catch(() => undefined);
    this.plannedKill = true;
    await this.process?.kill('SIGKILL');
    this.plannedKill = false;
    event(`${this.name} SIGKILLed`);
    await this.start();
  }
}

async function countFromDatabase(databaseUrl: string, visitors: Visitor[]) {
  const db = await openSql(databaseUrl);
  try {
    const rows = await db.query<{ id: string; clientMessageId: string; replies: number }>(`
      SELECT m.id, m."clientMessageId",
             (SELECT count(*)::int FROM "Message" b WHERE b.author = 'BOT' AND b."inReplyTo" = m.id) AS replies
        FROM "Message" m WHERE m.author = 'VISITOR'`);
    const orphans = await db.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM "Message" b WHERE b.author = 'BOT' AND b."inReplyTo" IS NULL`);
    const copies = new Map<string, number>();
    for (const r of rows) copies.set(r.clientMessageId, (copies.get(r.clientMessageId) ?? 0) + 1);
    const acked = visitors.flatMap((v) => [...v.acked]);
    const excused = new Set(visitors.flatMap((v) => [...v.supersededWithoutReply]));
    const expected = rows.filter((r) => !excused.has(r.id));
    return {
      acked: acked.length,
      lost: acked.filter((id) => !copies.has(id)).length,
      storedTwice: [...copies.values()].filter((n) => n > 1).length,
      repliesExpected: expected.length,
      repliesDelivered: expected.filter((r) => r.replies > 0).length,
      repliesLost: expected.filter((r) => r.replies === 0).length,
      repliesTwice: rows.filter((r) => r.replies > 1).length,
      excused: excused.size,
      orphanBotMessages: orphans[0]!.n,
    };
  } finally {
    await db.end();
  }
}

export async function runChaosBench(): Promise<void> {
  const database = await createTestDatabase();
  const redis = await startPrivateRedis();
  const pgProxy = await startTcpProxy({ port: Number(new URL(database.url).port || 5432) });
  const redisProxy = await startTcpProxy({ port: redis.port });
  const proxiedDb = new URL(database.url);
  proxiedDb.port = String(pgProxy.port);
  const env = { ...SERVER_ENV, DATABASE_URL: proxiedDb.toString(), REDIS_URL: `redis://127.0.0.1:${redisProxy.port}` };
  const slots = [new Slot('A', await freePort(), env), new Slot('B', await freePort(), env)];
  const run: Run = { outages: [], stopping: false };
  const visitors: Visitor[] = [];
  const progress = process.env.BENCH_PROGRESS ? setInterval(() => console.log(`  … ${visitors.reduce((n, v) => n + v.acked.size, 0)} acked`), 5000) : null;
  try {
    await Promise.all(slots.map((s) => s.start()));
    const urls = slots.map((s) => s.url);
    for (let i = 0; i < VISITORS; i++) visitors.push(new Visitor(i % 2, urls, run));
    const began = Date.now();
    const at = (fraction: number) => sleep(Math.max(0, began + fraction * SECONDS * 1000 - Date.now()));
    const kill = async (fraction: number, slot: Slot) => {
      await at(fraction);
      event(`killing ${slot.name}`);
      await slot.killAndRestart();
    };
    const outage = async (fraction: number, what: Outage['what'], proxy: TcpProxy, mode: CutMode) => {
      await at(fraction);
      const o: Outage = { what, cutAt: Date.now(), restoredAt: null, answered: [], errors: 0, oks: 0, noAnswer: 0, firstAckAfter: null, firstReplyAfter: null };
      run.outages.push(o);
      proxy.cut(mode);
      event(`${what} cut (${mode})`);
      await sleep(OUTAGE_MS);
      proxy.restore();
      o.restoredAt = Date.now();
      event(`${what} restored`);
    };
    const visiting = visitors.map((v) => v.loop());
    // Five kills, one of them while Redis is away (a server must start then); none while Postgres
    // is away (a server cannot start without its database), so each kill is a full restart.
    const schedule = Promise.all([
      kill(0.08, slots[0]!),
      kill(0.2, slots[1]!),
      outage(0.25, 'Redis', redisProxy, REDIS_CUT),
      kill(0.4, slots[0]!),
      outage(0.55, 'Postgres', pgProxy, PG_CUT),
      kill(0.86, slots[1]!),
      kill(0.94, slots[0]!),
    ]);
    await schedule;
    await at(1);
    run.stopping = true;
    event('visitors stop writing; waiting for the last answers');
    await Promise.race([Promise.all(visiting), sleep(REPLY_PATIENCE_MS + ACK_WAIT_MS)]);

    // Settle: nothing planned still pending, nothing undecided (or count what is left).
    const db = await openSql(database.url);
    const settleBy = Date.now() + SETTLE_MS;
    let unsettled = 0;
    for (;;) {
      const rows = await db.query<{ n: number }>(`
        SELECT (SELECT count(*) FROM "PendingReply" WHERE status = 'PENDING')
             + (SELECT count(*) FROM "Message" WHERE author = 'VISITOR' AND category IS NULL) AS n`);
      unsettled = Number(rows[0]!.n);
      if (unsettled === 0 || Date.now() > settleBy) break;
      await sleep(500);
    }
    await db.end();
    const c = await countFromDatabase(database.url, visitors);
    stopping = true;

    const unplanned = slots.flatMap((s) => s.unplannedExits);
    const restarts = summarize(slots.flatMap((s) => s.restartMs.slice(1)));
    const row = (name: string, value: string | number, target: string) => console.log(`  ${name.padEnd(44)} ${String(value).padStart(10)}   ${target}`);
    const secs = (msValue: number | null) => (msValue === null ? 'never' : `${(msValue / 1000).toFixed(2)} s`);
    console.log(
      `chaos: ${VISITORS} visitors, ${SECONDS} s, 2 processes, 5 SIGKILLs (restart p50 ${secs(restarts.p50)}, max ${secs(restarts.max)}), ` +
        `Redis cut (${REDIS_CUT}) and Postgres cut (${PG_CUT}) ${OUTAGE_MS / 1000} s each`,
    );
    console.log(`  ${'measure'.padEnd(44)} ${'value'.padStart(10)}   must reach`);
    row('messages acked', c.acked, '');
    row('  lost (acked, not stored)', c.lost, '0');
    row('  stored twice', c.storedTwice, '0');
    row('replies expected', c.repliesExpected, `(${c.excused} not expected: the visitor gave up after ${REPLY_PATIENCE_MS / 1000} s)`);
    row('  delivered', c.repliesDelivered, '');
    row('  lost', c.repliesLost, '0');
    row('  delivered twice', c.repliesTwice, '0');
    row('  bot messages naming no visitor message', c.orphanBotMessages, '');
    row('  still pending/undecided after settling', unsettled, '0');
    row('process exits not caused by the bench', unplanned.length, '0');
    for (const o of run.outages) {
      const answered = summarize(o.answered);
      const bound = o.what === 'Redis' ? '≤ 1 s' : '≤ 5 s';
      row(`${o.what}: max time to an explicit answer`, o.answered.length ? secs(answered.max) : 'n/a', `${bound} (p50 ${secs(answered.p50)}; ${o.errors} errors, ${o.oks} ok)`);
      row(`${o.what}: sends with no answer in ${ACK_WAIT_MS / 1000} s`, o.noAnswer, '0');
      const first = (t: number | null) => (t === null || o.restoredAt === null ? null : t - o.restoredAt);
      const ackAfter = first(o.firstAckAfter);
      const replyAfter = first(o.firstReplyAfter);
      const recovery = ackAfter === null || replyAfter === null ? null : Math.max(ackAfter, replyAfter);
      row(`${o.what}: recovery (first ack + reply)`, secs(recovery), `≤ 5 s (ack ${secs(ackAfter)}, reply ${secs(replyAfter)})`);
    }
    for (const exit of unplanned) console.log(`\n  unplanned exit: ${exit}`);
    console.log(`\n  timeline:\n${events.map((e) => `    ${e}`).join('\n')}`);
  } finally {
    stopping = true;
    run.stopping = true;
    if (progress) clearInterval(progress);
    for (const v of visitors) v.close();
    await Promise.all(slots.map((s) => s.process?.kill('SIGTERM')));
    await pgProxy.close();
    await redisProxy.close();
    await redis.stop();
    await database.drop();
  }
}
