import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaTelegram } from '../src/adapters/db/prisma-telegram.ts';
import type { Statements } from '../src/adapters/db/statements.ts';
import { systemClock } from '../src/adapters/clock.ts';
import { BotApi } from '../src/adapters/telegram/bot-api.ts';
import { TelegramOutbox } from '../src/services/telegram-outbox.ts';
import { startFakeBotApi, newChatId, type FakeBotApi } from './support/fake-bot-api.ts';
import { STORAGE_MODES, startTestServer, type TestServer } from './support/test-server.ts';

const TOKEN = '123456:MARKS-token';

// Every sent call is stored as delivered, but calls that finish together share the statement
// that says so (one per call was a third of the outbox's statements at 40 updates in flight).
describe.each(STORAGE_MODES)('Telegram calls finished together (%s)', (mode) => {
  let server: TestServer;
  let api: FakeBotApi;
  let siteId: string;

  beforeAll(async () => {
    [server, api] = await Promise.all([startTestServer(mode), startFakeBotApi()]);
    siteId = (await server.services.store.findSiteByKey('demo'))!.id;
  });
  afterAll(async () => {
    await server?.stop();
    await api?.close();
  });

  /** An outbox on the test server's database whose store counts the statements that mark calls sent. */
  function outbox(markGatherMs: number) {
    const shared = server.services.store;
    const marks = { statements: 0 };
    const telegram = new PrismaTelegram(shared['db'], shared['sql'] as Statements);
    const callsDone = telegram.callsDone.bind(telegram);
    telegram.callsDone = (ids, at) => (marks.statements++, callsDone(ids, at));
    const box = new TelegramOutbox({
      store: telegram,
      api: new BotApi({ baseUrl: api.url, timeoutMs: 5000 }),
      tokenFor: async () => TOKEN,
      clock: systemClock,
      options: { maxAttempts: 3, baseBackoffMs: 1000, attemptTimeoutMs: 5000, markGatherMs },
      onError: (error) => {
        throw error;
      },
    });
    return { box, marks };
  }

  const call = (chatId: number, text: string) => ({ key: `marks:${chatId}`, siteId, conversationId: null, method: 'sendMessage', payload: { chat_id: chatId, text } });

  it('marks calls of different chats that finish together with one statement, each delivered once', async () => {
    // A window far longer than eight concurrent calls take to reach a local server and back.
    const { box, marks } = outbox(2000);
    const chats = Array.from({ length: 8 }, () => newChatId());
    await Promise.all(chats.map((chat) => box.send(call(chat, 'вместе'))));
    const db = server.services.store['db'];
    const rows = await db.telegramCall.findMany({ where: { key: { in: chats.map((chat) => `marks:${chat}`) } } });
    expect(rows.map((r) => r.status)).toEqual(chats.map(() => 'DELIVERED'));
    for (const chat of chats) expect(api.succeeded('sendMessage').filter((c) => c.params.chat_id === chat)).toHaveLength(1);
    expect(marks.statements).toBe(1);
    await box.stop();
  });

  it('marks a call that finished just before stop without waiting for others', async () => {
    // A window no test waits out: stop ends it.
    const { box, marks } = outbox(600_000);
    const chat = newChatId();
    const sent = box.send(call(chat, 'перед остановкой'));
    // The call reached Telegram: its mark is gathering others now.
    await new Promise<void>((resolve) => {
      api.onCall = (c) => c.params.chat_id === chat && resolve();
    });
    api.onCall = undefined;
    await box.stop();
    await sent;
    expect(marks.statements).toBe(1);
    expect((await server.services.store['db'].telegramCall.findUniqueOrThrow({ where: { key: `marks:${chat}` } })).status).toBe('DELIVERED');
  });
});
