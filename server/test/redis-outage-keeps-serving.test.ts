/**
 * Redis stopped for ~10 s under visitor traffic, with two server processes on one Postgres and
 * one (private) Redis (issue 8): nothing rejects unhandled, every send is acked within 1 s and
 * answered by the bot; /health says degraded. Once Redis is back, without a restart, /health
 * says ok, presence counts the other process's operators again and a message sent through one
 * process reaches the visitor's tab on the other.
 */
import { randomUUID } from 'node:crypto';
import type { Ack, MessageDto, SentMessage } from '@support-chat/protocol';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { createTestDatabase } from '../src/adapters/db/migrate.ts';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.ts';
import {
  collect,
  connected,
  logInOperator,
  nextEvent,
  operatorSocket,
  visitorSocket,
  waitFor,
  type OperatorClient,
  type VisitorClient,
} from './support/test-server.ts';

/** The outage is this test's input. */
const OUTAGE_MS = 10_000;
/** The bound for an ack (success or an explicit error) while Redis is down. */
const ACK_WITHIN_MS = 1_000;
/** A new visitor arrives this long after the last one left: keeps the traffic steady on a 2-core machine. */
const THINK_MS = 200;
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };
const QUESTIONS = ['Сколько стоит тариф 500 мегабит?', 'Как поменять пароль от личного кабинета?', 'Как оплатить счёт картой?', 'how much is the 1 gig plan'];

interface Visitor {
  socket: VisitorClient;
  live: MessageDto[];
}

async function health(url: string): Promise<{ status: number; body: { status: string; database: string; redis: string } }> {
  const res = await fetch(`${url}/health`);
  return { status: res.status, body: await res.json() };
}

async function operatorsOnline(url: string): Promise<number> {
  return ((await (await fetch(`${url}/api/monitoring/stats`)).json()) as { operators_online: number }).operators_online;
}

describe('Redis stopped for 10 s under traffic (two processes, postgres)', () => {
  let redis: PrivateRedis;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: RunningServer;
  let b: RunningServer;
  let operator: OperatorClient;
  const namespace = `t${randomUUID().slice(0, 8)}`;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  /** One deployment: both processes share the database, the Redis and its key prefix. */
  const start = () =>
    startServer(
      loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        DELAYS_ENABLED: 'false',
        RATE_LIMIT_ENABLED: 'false',
        SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789',
        PUBLIC_URL: 'http://localhost:3000',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
      }),
      { logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), namespace },
    );

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    [redis, database] = await Promise.all([startPrivateRedis(), createTestDatabase()]);
    a = await start(); // migrates the fresh database first
    b = await start();
    operator = operatorSocket(b.url, await logInOperator(b.url, ADMIN));
    await connected(operator);
  });

  afterAll(async () => {
    operator?.disconnect();
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
    await database?.drop();
    process.off('unhandledRejection', onUnhandled);
  });

  async function visitorOn(server: RunningServer, visitorId = `visitor-${randomUUID()}`): Promise<Visitor> {
    const socket = visitorSocket(server.url, { visitorId });
    const live = collect<MessageDto>(socket, 'message:new');
    const history = nextEvent(socket, 'history'); // sent once the socket has joined its conversation's room
    await connected(socket);
    await history;
    return { socket, live };
  }

  const botReplies = (v: Visitor) => v.live.filter((m) => m.author === 'bot').length;

  /** Sends one message, asserts the ack came within the bound and was a success, and waits for the bot's answer. */
  async function converse(v: Visitor, text: string): Promise<SentMessage> {
    const before = botReplies(v);
    const ack: Ack<SentMessage> = await v.socket.timeout(ACK_WITHIN_MS).emitWithAck('message:send', { clientMessageId: randomUUID(), text });
    if (!ack.ok) throw new Error(`send refused: ${ack.error.code} ${ack.error.message}`);
    await waitFor(() => botReplies(v) > before);
    return ack.data;
  }

  /** The visitor's tab on `to` sees a message sent from the same visitor's tab on `from` (only Redis carries it). */
  async function crossesProcesses(from: RunningServer, to: RunningServer): Promise<void> {
    const visitorId = `visitor-${randomUUID()}`;
    const sender = await visitorOn(from, visitorId);
    await converse(sender, 'Добрый день');
    const otherTab = await visitorOn(to, visitorId); // joins the conversation's room on `to`
    const text = `Как подключить роутер? ${randomUUID().slice(0, 6)}`;
    await converse(sender, text);
    await waitFor(() => otherTab.live.some((m) => m.text === text));
    sender.socket.disconnect();
    otherTab.socket.disconnect();
  }

  it('keeps answering every visitor while Redis is down, and recovers without a restart', async () => {
    await crossesProcesses(a, b);
    await waitFor(async () => (await operatorsOnline(a.url)) === 1); // B's operator, counted by A through Redis

    // Visitors who were already talking when Redis stopped, two on each process…
    const regulars = await Promise.all([visitorOn(a), visitorOn(a), visitorOn(b), visitorOn(b)]);
    await Promise.all(regulars.map((v, i) => converse(v, QUESTIONS[i]!)));

    await redis.stop();
    const stoppedAt = Date.now();
    let answered = 0;
    const outageLasts = () => Date.now() - stoppedAt < OUTAGE_MS;
    await Promise.all([
      // … ask a second, different question (a repeated one would rightly go to an operator) …
      ...regulars.map(async (v, i) => {
        await converse(v, QUESTIONS[(i + 1) % QUESTIONS.length]!);
        answered++;
      }),
      // … while new visitors keep arriving on both processes and start conversations.
      ...[a, a, b, b].map(async (server, i) => {
        for (let round = 0; outageLasts(); round++) {
          const v = await visitorOn(server);
          for (const k of [0, 1]) {
            await converse(v, QUESTIONS[(i + round + k) % QUESTIONS.length]!);
            answered++;
          }
          v.socket.disconnect();
          await new Promise((r) => setTimeout(r, THINK_MS));
        }
      }),
    ]);
    expect(answered).toBeGreaterThan(2 * regulars.length); // the outage really was under traffic
    for (const server of [a, b]) expect(await health(server.url)).toEqual({ status: 200, body: { status: 'degraded', database: 'ok', redis: 'unavailable' } });
    // Without Redis, A counts only its own operators (none).
    expect(await operatorsOnline(a.url)).toBe(0);
    // The outage is visible on /metrics: cache reads carried on without Redis, presence fell back.
    const metrics = await (await fetch(`${a.url}/metrics`)).text();
    expect(metrics).toMatch(/^support_chat_dependency_errors_total\{dependency="redis",operation="cache get"\} [1-9]/m);
    expect(metrics).toMatch(/^support_chat_background_errors_total\{task="presence"\} [1-9]/m);

    await redis.start();
    for (const server of [a, b]) await waitFor(async () => (await health(server.url)).body.status === 'ok', 5_000, 100);
    await waitFor(async () => (await operatorsOnline(a.url)) === 1, 5_000, 100);
    // Broadcasts cross processes again once both subscribers are back on the restarted Redis.
    const probe = new Redis(redis.url);
    try {
      const channel = `${namespace}:socket.io-request#/visitor#`;
      await waitFor(async () => ((await probe.pubsub('NUMSUB', channel)) as [string, number])[1] === 2, 5_000, 50);
    } finally {
      probe.disconnect();
    }
    await crossesProcesses(a, b);
    await crossesProcesses(b, a);

    for (const v of regulars) v.socket.disconnect();
    expect(unhandled).toEqual([]);
  });
});
