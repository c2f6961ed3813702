import { randomUUID } from 'node:crypto';
import type { QueueItem } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newChatId, startFakeBotApi, textUpdate, type FakeBotApi } from './support/fake-bot-api.ts';
import { collect, connected, logInOperator, operatorSocket, STORAGE_MODES, startTestServer, waitFor, type OperatorClient, type TestServer } from './support/test-server.ts';

const TOKEN = '123456:TEST-token_abc';
const SECRET = 'webhook-secret-0123';
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };

describe.each(STORAGE_MODES)('operators and a Telegram user (%s)', (mode) => {
  let api: FakeBotApi;
  let server: TestServer;
  let operator: OperatorClient;
  let nextUpdate = 1;

  const hook = (body: object) =>
    fetch(`${server.url}/api/integrations/telegram/webhook/demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({ update_id: nextUpdate++, ...body }),
    });
  const sentTo = (chatId: number) => api.succeeded('sendMessage').filter((c) => String(c.params.chat_id) === String(chatId));

  beforeAll(async () => {
    api = await startFakeBotApi();
    server = await startTestServer(mode, {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_BASE: api.url,
      TELEGRAM_MODE: 'webhook',
      PUBLIC_URL: 'https://chat.example',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    operator = operatorSocket(server.url, await logInOperator(server.url, ADMIN));
    await connected(operator);
  }, 120_000);
  afterAll(async () => {
    operator?.disconnect();
    await server?.stop();
    await api?.close();
  });

  it('an escalated chat reaches the queue with its Telegram badge and name; the operator reply, the resolution and the rating go through the Bot API', { timeout: 60_000 }, async () => {
    const upserts = collect<QueueItem>(operator, 'queue:upsert');
    const chatId = newChatId();
    expect((await hook(textUpdate('Позовите оператора, пожалуйста', { id: chatId, firstName: 'Борис', username: 'boris' }, 1))).status).toBe(200);
    const item = await waitFor(() => upserts.find((i) => i.visitorId === `telegram:${chatId}`), 15_000);
    expect(item).toMatchObject({ channel: 'TELEGRAM', visitorName: 'Борис (@boris)', status: 'WAITING' });
    await waitFor(() => sentTo(chatId)[0]); // the bot's hand-off message

    const claimed = await operator.emitWithAck('conversation:claim', { conversationId: item.conversationId });
    expect(claimed.ok).toBe(true);
    const replied = await operator.emitWithAck('conversation:reply', { conversationId: item.conversationId, text: 'Здравствуйте, Борис! Чем помочь?', clientMessageId: randomUUID() });
    expect(replied.ok).toBe(true);
    await waitFor(() => sentTo(chatId).find((c) => c.params.text === 'Здравствуйте, Борис! Чем помочь?'));

    expect((await operator.emitWithAck('conversation:resolve', { conversationId: item.conversationId })).ok).toBe(true);
    const rating = await waitFor(() => sentTo(chatId).find((c) => c.params.reply_markup));
    const buttons = (rating.params.reply_markup as { inline_keyboard: Array<Array<{ callback_data: string }>> }).inline_keyboard[0]!;
    expect(buttons.map((b) => b.callback_data)).toEqual([1, 2, 3, 4, 5].map((n) => `rate:${item.conversationId}:${n}`));

    // Another chat pressing the button changes nothing; the asked chat's press is the CSAT.
    const stranger = newChatId();
    const press = (from: number, id: string) =>
      hook({ callback_query: { id, from: { id: from, is_bot: false, first_name: 'X', language_code: 'ru' }, message: { message_id: 9, chat: { id: from, type: 'private' } }, data: buttons[3]!.callback_data } });
    expect((await press(stranger, 'cb-stranger')).status).toBe(200);
    expect((await press(chatId, 'cb-owner')).status).toBe(200);
    const answered = await waitFor(() => api.succeeded('answerCallbackQuery').find((c) => c.params.callback_query_id === 'cb-owner'));
    expect(answered.params.text).toBe('Спасибо за оценку!');
    await waitFor(() => api.succeeded('answerCallbackQuery').find((c) => c.params.callback_query_id === 'cb-stranger'));
    const row = await server.services.store['db'].conversation.findUniqueOrThrow({ where: { id: item.conversationId }, select: { rating: true, status: true } });
    expect(row).toEqual({ rating: 4, status: 'RESOLVED' });
  });

  it('delivers once through a retry storm (500, then 429 with retry_after), and stops for good on 403', { timeout: 60_000 }, async () => {
    const chatId = newChatId();
    api.failNext('sendMessage', { status: 500 }, { status: 429, retryAfter: 1 }, { status: 500 });
    expect((await hook(textUpdate('Как оплатить счёт картой?', { id: chatId }, 1))).status).toBe(200);
    const delivered = await waitFor(() => sentTo(chatId)[0], 20_000);
    const attempts = api.calls.filter((c) => c.method === 'sendMessage' && String(c.params.chat_id) === String(chatId));
    expect(attempts.map((c) => c.status)).toEqual([500, 429, 500, 200]);
    // The 429's retry_after (1 s) was honoured before the next attempt.
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(950);
    const db = server.services.store['db'];
    await waitFor(async () => (await db.telegramCall.count({ where: { status: 'PENDING' } })) === 0, 10_000);
    expect(sentTo(chatId)).toEqual([delivered]);

    const blocker = newChatId();
    api.failNext('sendMessage', { status: 403 });
    expect((await hook(textUpdate('Как оплатить счёт картой?', { id: blocker }, 1))).status).toBe(200);
    const conversation = await waitFor(async () => db.conversation.findFirst({ where: { chatId: String(blocker), deliveryBlockedAt: { not: null } } }), 10_000);
    // The conversation is marked blocked just before its call is stored as given up: wait for both.
    const call = await waitFor(async () => db.telegramCall.findFirst({ where: { conversationId: conversation.id, status: { not: 'PENDING' } } }), 10_000);
    expect(call).toMatchObject({ status: 'FAILED', attempts: 1 });
    // The user blocked the bot: their next message is stored and decided, but nothing is sent.
    expect((await hook(textUpdate('Алло?', { id: blocker }, 2))).status).toBe(200);
    await waitFor(async () => (await db.telegramCall.count({ where: { conversationId: conversation.id, status: 'FAILED' } })) === 2, 10_000);
    expect(api.calls.filter((c) => c.method === 'sendMessage' && String(c.params.chat_id) === String(blocker))).toHaveLength(1);
  });

  it("keeps a chat's messages in order: one sent while the one before waits for its retry goes out after it", { timeout: 60_000 }, async () => {
    const upserts = collect<QueueItem>(operator, 'queue:upsert');
    const chatId = newChatId();
    expect((await hook(textUpdate('Позовите оператора, пожалуйста', { id: chatId }, 1))).status).toBe(200);
    const item = await waitFor(() => upserts.find((i) => i.visitorId === `telegram:${chatId}`), 15_000);
    await waitFor(() => sentTo(chatId)[0]); // the bot's hand-off message
    expect((await operator.emitWithAck('conversation:claim', { conversationId: item.conversationId })).ok).toBe(true);

    api.failNext('sendMessage', { status: 500 }); // the first reply is retried about a second later
    for (const text of ['Первое', 'Второе']) {
      expect((await operator.emitWithAck('conversation:reply', { conversationId: item.conversationId, text, clientMessageId: randomUUID() })).ok).toBe(true);
    }
    await waitFor(() => sentTo(chatId).find((c) => c.params.text === 'Второе'), 20_000);
    const attempts = api.calls.filter((c) => c.method === 'sendMessage' && String(c.params.chat_id) === String(chatId) && ['Первое', 'Второе'].includes(String(c.params.text)));
    expect(attempts.map((c) => [c.params.text, c.status])).toEqual([
      ['Первое', 500],
      ['Первое', 200],
      ['Второе', 200],
    ]);
  });
});
