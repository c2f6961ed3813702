import { randomUUID } from 'node:crypto';
import type { Ack, MessageDto, SentMessage } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createTestDatabase } from '../src/adapters/db/migrate.ts';
import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/server.ts';
import { claimRedisDatabase, sleep, spawnServer, tempDataDir, TEST_ORIGIN, type ServerProcess } from './support/server-process.ts';
import { collect, connected, nextEvent, REDIS_URL, STORAGE_MODES, visitorSocket, waitFor, type VisitorClient } from './support/test-server.ts';

// Long enough that a busy machine still kills the server inside the delay.
const PACING = { DELAYS_ENABLED: 'true', RESPONSE_DELAY_SECONDS: '4', TYPING_MAX_SECONDS: '0.5', PACING_JITTER: '0' };
/** The reply is due 2 s (+ ≤ 0.5 s typing) after the message was decided. */
const LATEST_DUE_MS = 4500;

async function send(socket: VisitorClient, text: string): Promise<SentMessage> {
  const ack: Ack<SentMessage> = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text });
  if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
  return ack.data;
}

describe.each(STORAGE_MODES)('a reply pending when the server is SIGKILLed (%s)', (mode) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    if (mode === 'embedded') {
      // A file-backed PGlite: the in-memory one would die with the process.
      const data = await tempDataDir();
      env = { ...PACING, DATA_DIR: data.dir };
      cleanup = data.remove;
    } else {
      const [database, redis] = await Promise.all([createTestDatabase(), claimRedisDatabase()]);
      env = { ...PACING, DATABASE_URL: database.url, REDIS_URL: redis.url };
      cleanup = async () => {
        await redis.release();
        await database.drop();
      };
    }
  });
  afterAll(async () => {
    await server?.kill('SIGKILL');
    await cleanup?.();
  });

  // Two server processes started one after the other, and two paced replies: slow by nature.
  it('is delivered exactly once by the restarted server, not early', { timeout: 90_000 }, async () => {
    server = await spawnServer(env, { name: `${mode} #1` });
    const visitors = [
      { id: `visitor-${randomUUID()}`, text: 'Сколько стоит тариф 500 мегабит?' },
      { id: `visitor-${randomUUID()}`, text: 'Как поменять пароль от личного кабинета?' },
    ];
    const sockets = visitors.map((v) => visitorSocket(server!.url, { visitorId: v.id }));
    const live = sockets.map((s) => collect<MessageDto>(s, 'message:new'));
    await Promise.all(sockets.map(connected));

    // Visitor 0's reply has been planned and stored when the server dies; visitor 1's message
    // has only just been acked (its reply may not be planned yet: the restart must decide it).
    const first = await send(sockets[0]!, visitors[0]!.text);
    await sleep(700);
    const second = await send(sockets[1]!, visitors[1]!.text);
    await server.kill('SIGKILL');
    // Killed inside the delay: nothing was delivered before the crash.
    expect(live.flat().filter((m) => m.author === 'bot')).toEqual([]);
    sockets.forEach((s) => s.disconnect());

    server = await spawnServer(env, { name: `${mode} #2` });
    for (const [i, sent] of [first, second].entries()) {
      // The widget comes back with the conversation and the last seq it showed.
      const socket = visitorSocket(server.url, { visitorId: visitors[i]!.id, conversationId: sent.conversationId, lastSeq: sent.seq });
      const again = collect<MessageDto>(socket, 'message:new');
      const history = nextEvent<{ messages: MessageDto[] }>(socket, 'history');
      await connected(socket);
      const missed = (await history).messages;
      await waitFor(() => missed.find((m) => m.author === 'bot') ?? again.find((m) => m.author === 'bot'), 15_000);

      // Past the due time plus a margin: a second copy (a re-armed timer, a Redis job and the
      // start-up sweep) would have shown up by now.
      await sleep(Math.max(0, Date.parse(sent.createdAt) + LATEST_DUE_MS - Date.now()) + 1500);
      const all = await socket.emitWithAck('history:since', { afterSeq: 0 });
      expect(all.ok).toBe(true);
      if (!all.ok) return;
      expect(all.data.messages.map((m) => [m.seq, m.author])).toEqual([
        [1, 'visitor'],
        [2, 'bot'],
      ]);
      const reply = all.data.messages[1]!;
      expect(Date.parse(reply.createdAt) - Date.parse(sent.createdAt)).toBeGreaterThanOrEqual(4000); // paced, even after a crash
      expect([...missed, ...again].filter((m) => m.author === 'bot').map((m) => m.id)).toEqual([reply.id]);
      socket.disconnect();
    }
    await server.kill('SIGTERM');
    server = null;
  });
});

// A SIGKILL while deciding (after storing the message, before or after its decision is written)
// is rare to hit by timing; freezing the first process inside `applyDecision` stands in for it
// deterministically: the database is left as the SIGKILL would leave it, the first process's
// background work is stopped as death would stop it, and a second process on the same database
// must answer exactly once.
describe('a process that dies in the middle of deciding a reply (postgres)', () => {
  async function dieInApplyDecision(afterStoringThePlan: boolean) {
    const database = await createTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'silent',
      DELAYS_ENABLED: 'false',
      RATE_LIMIT_ENABLED: 'false',
      SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789',
      ALLOWED_ORIGINS: TEST_ORIGIN,
      DATABASE_URL: database.url,
      REDIS_URL,
    });
    const logger = pino({ level: 'silent' });
    const first = await startServer(config, { inMemory: true, logger, namespace: `t${randomUUID().slice(0, 8)}` });
    const { store } = first.services;
    const applyDecision = store.applyDecision.bind(store);
    let reached = false;
    let die: () => void = () => {};
    store.applyDecision = async (decision) => {
      if (afterStoringThePlan) await applyDecision(decision);
      reached = true;
      // A dead process sweeps nothing and delivers nothing.
      store.claimUndecided = async () => [];
      store.pendingReplies = async () => [];
      return new Promise((_, reject) => (die = () => reject(new Error('the process died here'))));
    };
    let second: Awaited<ReturnType<typeof startServer>> | null = null;
    try {
      const socket = visitorSocket(first.url);
      await connected(socket);
      const sent = await send(socket, 'Сколько стоит тариф 500 мегабит?');
      socket.disconnect();
      await waitFor(() => reached);

      second = await startServer(config, { inMemory: true, logger, namespace: `t${randomUUID().slice(0, 8)}` });
      const answered = async () => {
        const bot = (await second!.services.store.messagesAfter(sent.conversationId, 0, 10)).filter((m) => m.author === 'bot');
        return bot.length > 0 && bot;
      };
      await waitFor(answered, 20_000); // the sweep takes a message once it is 5 s old
      await sleep(1000); // time enough for a second answer to show
      const messages = await second.services.store.messagesAfter(sent.conversationId, 0, 10);
      expect(messages.map((m) => [m.seq, m.author])).toEqual([
        [1, 'visitor'],
        [2, 'bot'],
      ]);
      expect((await second.services.store.getMessage(sent.id))?.category).toBe('BILLING'); // decided for good now
    } finally {
      die();
      await first.close();
      await second?.close();
      await database.drop();
    }
  }

  it('before the decision was written: another process decides the message and answers once', () => dieInApplyDecision(false));
  it('after the decision was written: another process delivers that reply, and only that one', () => dieInApplyDecision(true));
});
