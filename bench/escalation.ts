/**
 * Escalation benchmark: `pnpm exec tsx bench/escalation.ts` (or `pnpm bench escalation`).
 *
 * 1. decisions per second of the pure rules: `decideEscalation` over realistic conversation
 *    histories, and the mass-outage window (`recordReport`) in a trickle and in a storm;
 * 2. escalation → queue: from the visitor's third repeat (socket emit) until an operator socket
 *    receives `queue:upsert` for that conversation, on loopback with delays off, on the embedded
 *    default (PGlite, in-process) and on Postgres + Redis. Goal: p99 ≤ 200 ms.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import type {
  Category,
  MessageDto,
  OperatorClientToServerEvents,
  OperatorServerToClientEvents,
  QueueItem,
  VisitorClientToServerEvents,
  VisitorServerToClientEvents,
} from '@support-chat/protocol';
import { createTestDatabase } from '../server/src/adapters/db/migrate.ts';
import { loadConfig } from '../server/src/config.ts';
import { decideEscalation, type ClassifiedMessage, type EscalationOptions } from '../server/src/domain/escalation/decide-escalation.ts';
import { recordReport, type OutageWindow } from '../server/src/domain/outage/outage-window.ts';
import { startServer } from '../server/src/server.ts';
import { ms, summarize } from './percentiles.ts';
import { TEST_ORIGIN } from '../server/test/support/server-process.ts';

const ESCALATIONS = 300;
const WARMUP = 20;
const GOAL_P99_MS = 200;
const REDIS_URL = 'redis://127.0.0.1:6379';
const ADMIN = { email: 'bench-admin@example.com', password: 'bench-password-123' };
const RULES: EscalationOptions = { repeatThreshold: 3, lowConfidenceStreak: 2, confidenceThreshold: 0.5 };

// ---------------------------------------------------------------------------------------------
// 1. The pure rules

const m = (category: Category, text: string, confidence = 0.93): ClassifiedMessage => ({ category, text, confidence });

/** Conversations as the service passes them: up to 12 recent visitor messages, the current one last. */
const HISTORIES: ClassifiedMessage[][] = [
  [m('GREETING', 'Здравствуйте'), m('TECH_SUPPORT_BASIC', 'интернет не работает'), m('TECH_SUPPORT_BASIC', 'интрнет не работаит'), m('TECH_SUPPORT_BASIC', 'ВСЁ ЕЩЁ НЕ РАБОТАЕТ???')],
  [m('BILLING', 'Сколько стоит тариф 100 Мбит?'), m('BILLING', 'А плата за подключение есть?'), m('BILLING', 'Где посмотреть счёт?')],
  [
    m('TECH_SUPPORT_BASIC', 'интернет не работает'),
    m('TECH_SUPPORT_BASIC', 'Роутер перезагрузил, индикатор WAN горит красным'),
    m('TECH_SUPPORT_BASIC', 'Подключил кабель напрямую к ноутбуку, сайты не открываются, но скайп работает'),
    m('ACCOUNT', 'мой адрес Ленина 5 кв 12', 0.58),
    m('TECH_SUPPORT_BASIC', 'Сменил DNS на 8.8.8.8, теперь страницы открываются медленно'),
  ],
  [m('GREETING', 'hi'), m('BILLING', 'how much is the 1 gig plan'), m('THANKS', 'thanks'), m('FAREWELL', 'bye')],
  [m('HUMAN_REQUEST', 'позовите оператора'), m('GREETING', 'алло'), m('HUMAN_REQUEST', 'дайте живого человека')],
  [m('UNKNOWN', 'фывапролд', 0.98), m('UNKNOWN', 'ъъъ ыыы', 0.51)],
  [m('COMPLAINT', 'это безобразие, буду жаловаться')],
  // A long stretch: 12 messages, mixed categories, a repeat at the end.
  [
    m('GREETING', 'Добрый день'),
    m('BILLING', 'сколько стоит тариф 500 мбит'),
    m('BILLING', 'а со скидкой?'),
    m('TECH_SUPPORT_BASIC', 'и ещё wifi плохо ловит в спальне'),
    m('TECH_SUPPORT_BASIC', 'роутер стоит в коридоре, до спальни две стены'),
    m('ACCOUNT', 'как сменить пароль от личного кабинета'),
    m('TECH_SUPPORT_BASIC', 'так что с wifi в спальне?'),
    m('THANKS', 'спасибо'),
    m('TECH_SUPPORT_BASIC', 'wifi в спальне всё ещё плохо ловит'),
    m('GREETING', 'алло'),
    m('TECH_SUPPORT_BASIC', 'WIFI В СПАЛЬНЕ НЕ ЛОВИТ!!!'),
    m('TECH_SUPPORT_BASIC', 'я же говорю, в спальне нет wifi'),
  ],
];

function opsPerSecond(run: (i: number) => void, minMs = 1000): number {
  for (let i = 0; i < 2000; i++) run(i); // warm the JIT
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 1000; i++) run(ops + i);
    ops += 1000;
    elapsed = performance.now() - start;
  }
  return (ops / elapsed) * 1000;
}

const rate = (v: number) => `${Math.round(v).toLocaleString('en-US')} ops/s`;

function benchRules(): void {
  let escalated = 0;
  const decisions = opsPerSecond((i) => {
    if (decideEscalation(HISTORIES[i % HISTORIES.length]!, RULES).escalate) escalated++;
  });
  const avg = HISTORIES.reduce((n, h) => n + h.length, 0) / HISTORIES.length;
  console.log(`decideEscalation: ${rate(decisions)} over ${HISTORIES.length} realistic histories (avg ${avg.toFixed(1)} messages; ${escalated > 0 ? 'some escalate' : 'none escalate'})`);

  const windowMs = 10 * 60_000;
  const options = { threshold: 5, windowMs };
  // Trickle: a report every ~40 s from a handful of visitors; the window stays small.
  let trickle: OutageWindow = new Map();
  const trickleRate = opsPerSecond((i) => {
    trickle = recordReport(trickle, `visitor-${i % 7}`, i * 40_000, options);
  });
  console.log(`recordReport (trickle, window ≤ ${Math.ceil(windowMs / 40_000)} reports, ≤ 7 visitors): ${rate(trickleRate)}`);
  // Storm: 1,000 distinct visitors reporting within the window (threshold never reached, e.g. a high
  // MASS_OUTAGE_THRESHOLD): the worst case for a copy-on-write window.
  let storm: OutageWindow = new Map();
  for (let i = 0; i < 1000; i++) storm = recordReport(storm, `visitor-${i}`, i * 100, options);
  const stormRate = opsPerSecond((i) => {
    storm = recordReport(storm, `visitor-${i % 1000}`, 100_000 + i * 100, options);
  }, 500);
  console.log(`recordReport (storm, ${storm.size} distinct visitors in the window): ${rate(stormRate)}`);
}

// ---------------------------------------------------------------------------------------------
// 2. Escalation → operator queue over sockets

type VisitorSocket = Socket<VisitorServerToClientEvents, VisitorClientToServerEvents>;
type OperatorSocket = Socket<OperatorServerToClientEvents, OperatorClientToServerEvents>;

function connectedSocket<T extends Socket>(socket: T): Promise<T> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** A visitor who has asked twice and had two ordinary answers: the third ask escalates. */
async function primedVisitor(url: string): Promise<{ socket: VisitorSocket; botReplies: () => number }> {
  const socket: VisitorSocket = io(`${url}/visitor`, {
    auth: { siteKey: 'demo', visitorId: `bench-${randomUUID()}` },
    transports: ['websocket'],
    extraHeaders: { origin: TEST_ORIGIN },
    forceNew: true,
    reconnection: false,
  });
  let bot = 0;
  socket.on('message:new', (message: MessageDto) => {
    if (message.author === 'bot') bot++;
  });
  await connectedSocket(socket);
  for (const [i, text] of ['интернет не работает', 'интернет не работает, помогите'].entries()) {
    const ack = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text });
    if (!ack.ok) throw new Error(`send failed: ${ack.error.message}`);
    // Wait for the answer: the next message must be decided after this one.
    await until(() => bot > i);
  }
  return { socket, botReplies: () => bot };
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 1));
  }
}

async function measureQueueLatency(label: string, env: Record<string, string>, inMemory: boolean): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DELAYS_ENABLED: 'false',
    RATE_LIMIT_ENABLED: 'false',
    SECRET_KEY: 'bench-secret-key-that-is-long-enough-0123456789',
    ALLOWED_ORIGINS: TEST_ORIGIN,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  const server = await startServer(config, { inMemory, logger: pino({ level: 'silent' }), namespace: `bench${randomUUID().slice(0, 6)}` });
  try {
    const login = await fetch(`${server.url}/api/operators/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { token } = (await login.json()) as { token: string };
    const operator: OperatorSocket = io(`${server.url}/operator`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
    const queuedAt = new Map<string, { at: number; item: QueueItem }>();
    operator.on('queue:upsert', (item) => {
      if (item.status === 'WAITING' && !queuedAt.has(item.conversationId)) queuedAt.set(item.conversationId, { at: performance.now(), item });
    });
    await connectedSocket(operator);

    const samples: number[] = [];
    const reasons = new Map<string, number>();
    const BATCH = 20;
    for (let done = 0; done < ESCALATIONS + WARMUP; ) {
      // Prime a batch in parallel (not measured), then trigger each escalation on its own.
      const batch = await Promise.all(Array.from({ length: Math.min(BATCH, ESCALATIONS + WARMUP - done) }, () => primedVisitor(server.url)));
      for (const visitor of batch) {
        const start = performance.now();
        const sent = visitor.socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'ВСЁ ЕЩЁ НЕ РАБОТАЕТ ИНТЕРНЕТ???' });
        const ack = await sent;
        if (!ack.ok) throw new Error(`send failed: ${ack.error.message}`);
        await until(() => queuedAt.has(ack.data.conversationId));
        const queued = queuedAt.get(ack.data.conversationId)!;
        if (done >= WARMUP) samples.push(queued.at - start);
        const reason = queued.item.escalationReason ?? 'none';
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        done++;
        visitor.socket.disconnect();
      }
    }
    operator.disconnect();
    const s = summarize(samples);
    const verdict = s.p99 <= GOAL_P99_MS ? 'ok' : 'MISSED';
    console.log(`escalation→queue (${label}): p50=${ms(s.p50)} p99=${ms(s.p99)} max=${ms(s.max)} n=${s.n}  [goal p99 ≤ ${GOAL_P99_MS} ms: ${verdict}]`);
    console.log(`  reasons: ${[...reasons].map(([r, n]) => `${r} ×${n}`).join(', ')}`);
  } finally {
    await server.close();
  }
}

export async function runEscalationBench(): Promise<void> {
  benchRules();
  await measureQueueLatency('embedded', {}, true);
  const db = await createTestDatabase();
  try {
    await measureQueueLatency('postgres+redis', { DATABASE_URL: db.url, REDIS_URL }, false);
  } finally {
    await db.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runEscalationBench().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
