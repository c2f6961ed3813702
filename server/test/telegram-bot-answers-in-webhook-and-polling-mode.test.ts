import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startFakeBotApi, textUpdate, newChatId, type FakeBotApi } from './support/fake-bot-api.ts';
import { STORAGE_MODES, startTestServer, waitFor, type TestServer } from './support/test-server.ts';

const TOKEN = '123456:TEST-token_abc';
const SECRET = 'webhook-secret-0123';
/** Paced like the web: 0.3 s reading, then typing (≤ 0.6 s), then the reply. */
const PACED = { DELAYS_ENABLED: 'true', RESPONSE_DELAY_SECONDS: '0.3', TYPING_MAX_SECONDS: '0.6', PACING_JITTER: '0' };

function hook(server: TestServer, body: unknown, secret: string | null = SECRET, path = '/api/integrations/telegram/webhook/demo') {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
    body: JSON.stringify(body),
  });
}

const sentTo = (api: FakeBotApi, chatId: number) => api.succeeded('sendMessage').filter((c) => String(c.params.chat_id) === String(chatId));

describe.each(STORAGE_MODES)('a Telegram bot in webhook mode (%s)', (mode) => {
  let api: FakeBotApi;
  let server: TestServer;
  const logged: Array<{ msg: string }> = [];

  beforeAll(async () => {
    api = await startFakeBotApi();
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    server = await startTestServer(
      mode,
      { ...PACED, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_BASE: api.url, TELEGRAM_MODE: 'webhook', PUBLIC_URL: 'https://chat.example' },
      { logger },
    );
  });
  afterAll(async () => {
    await server?.stop();
    await api?.close();
  });

  it('registers its webhook with the secret token and the updates it handles', async () => {
    const registered = await waitFor(() => api.succeeded('setWebhook')[0]);
    expect(registered.token).toBe(TOKEN);
    expect(registered.params).toEqual({
      url: 'https://chat.example/api/integrations/telegram/webhook/demo',
      secret_token: SECRET,
      allowed_updates: ['message', 'callback_query'],
    });
  });

  it('answers a message with the typing status first, then the reply; a re-sent update is answered once', { timeout: 30_000 }, async () => {
    const chatId = newChatId();
    const update = { update_id: 1, ...textUpdate('Как оплатить счёт картой?', { id: chatId }, 11) };
    const receivedAt = Date.now();
    expect((await hook(server, update)).status).toBe(200);
    expect((await hook(server, update)).status).toBe(200); // Telegram re-sends when it did not see our 200
    const reply = await waitFor(() => sentTo(api, chatId)[0], 15_000);
    const typing = api.succeeded('sendChatAction').find((c) => String(c.params.chat_id) === String(chatId));
    expect(typing?.params.action).toBe('typing');
    expect(typing!.at).toBeLessThan(reply.at);
    expect(typing!.at - receivedAt).toBeGreaterThanOrEqual(250); // after the reading delay
    expect(String(reply.params.text).length).toBeGreaterThan(10);

    // The same pipeline as the widget: one stored, classified visitor message in a TELEGRAM conversation.
    const db = server.services.store['db'];
    const conversation = await db.conversation.findFirstOrThrow({ where: { chatId: String(chatId) }, include: { messages: { orderBy: { seq: 'asc' } }, visitor: true } });
    expect(conversation).toMatchObject({ channel: 'TELEGRAM', platform: 'telegram' });
    expect(conversation.visitor).toMatchObject({ externalId: `telegram:${chatId}`, name: 'Анна (@anna_k)' });
    expect(conversation.messages.map((m) => [m.author, m.clientMessageId])).toEqual([['VISITOR', 'tg:11'], ['BOT', null]]);
    expect(conversation.messages[0]!.category).toBe('BILLING');

    await waitFor(async () => (await db.telegramCall.count({ where: { status: 'PENDING' } })) === 0);
    expect(sentTo(api, chatId)).toHaveLength(1);
  });

  it('greets /start and politely says it reads text only for a photo, which operators see as [photo]', { timeout: 30_000 }, async () => {
    const chatId = newChatId();
    expect((await hook(server, { update_id: 2, ...textUpdate('/start', { id: chatId }, 1) })).status).toBe(200);
    const greeting = await waitFor(() => sentTo(api, chatId)[0]);
    expect(String(greeting.params.text)).toMatch(/Здравствуйте|Добрый|Привет/);

    const photo = textUpdate('', { id: chatId }, 2) as { message: Record<string, unknown> };
    delete photo.message.text;
    photo.message.photo = [{ file_id: 'abc', width: 90, height: 90 }];
    expect((await hook(server, { update_id: 3, ...photo })).status).toBe(200);
    const notice = await waitFor(() => sentTo(api, chatId)[1]);
    expect(notice.params.text).toBe('Извините, пока я умею читать только текст. Опишите, пожалуйста, вопрос словами.');
    const stored = await server.services.store['db'].message.findFirstOrThrow({ where: { clientMessageId: 'tg:2', conversation: { chatId: String(chatId) } } });
    expect(stored).toMatchObject({ text: '[photo]', author: 'VISITOR', category: 'UNKNOWN' });
  });

  it('refuses a webhook call without the right secret token (401, logged); a malformed update is 200 and dropped', async () => {
    const update = { update_id: 4, ...textUpdate('Привет') };
    expect((await hook(server, update, 'wrong')).status).toBe(401);
    expect((await hook(server, update, null)).status).toBe(401);
    expect(logged.some((l) => /secret-token/i.test(l.msg))).toBe(true);

    const before = api.calls.length;
    expect((await hook(server, { update_id: 'x', message: 42 })).status).toBe(200);
    expect(logged.some((l) => /malformed update/.test(l.msg))).toBe(true);
    expect(api.calls.length).toBe(before);
    // An unknown site has no bot.
    expect((await hook(server, update, SECRET, '/api/integrations/telegram/webhook/nope')).status).toBe(404);
  });
});

describe.each(STORAGE_MODES)('a Telegram bot with no public URL polls (%s)', (mode) => {
  let api: FakeBotApi;
  let server: TestServer;

  beforeAll(async () => {
    api = await startFakeBotApi();
    server = await startTestServer(mode, { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_BASE: api.url, TELEGRAM_POLL_TIMEOUT_SECONDS: '1' });
  });
  afterAll(async () => {
    await server?.stop();
    await api?.close();
  });

  it('drops any webhook, takes updates with getUpdates and answers them', { timeout: 30_000 }, async () => {
    await waitFor(() => api.succeeded('getUpdates')[0]);
    expect(api.succeeded('deleteWebhook')).toHaveLength(1);
    expect(api.succeeded('setWebhook')).toEqual([]);
    const chatId = newChatId();
    api.pushUpdate(textUpdate('Сколько стоит тариф 500 мегабит?', { id: chatId }, 7));
    const reply = await waitFor(() => sentTo(api, chatId)[0], 15_000);
    expect(String(reply.params.text).length).toBeGreaterThan(10);
    // The next poll confirms the update (offset past it), so it is not taken twice.
    const confirmed = await waitFor(() => api.succeeded('getUpdates').find((c) => typeof c.params.offset === 'number'));
    expect(confirmed.params.offset).toBeGreaterThan(1000);
  });
});
