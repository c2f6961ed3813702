import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newChatId, startFakeBotApi, textUpdate, type BotApiCall, type FakeBotApi } from './support/fake-bot-api.ts';
import { STORAGE_MODES, startTestServer, waitFor, type TestServer } from './support/test-server.ts';

const SECRET = 'webhook-secret-0123';
/** A reply of 45+ characters types for 9 s (5 characters a second, capped at 9 s): Telegram's 5 s status must be renewed twice. */
const LONG_TYPING = { DELAYS_ENABLED: 'true', RESPONSE_DELAY_SECONDS: '0.2', TYPING_CHARS_PER_SECOND: '5', TYPING_MAX_SECONDS: '9', PACING_JITTER: '0' };

describe.each(STORAGE_MODES)('the typing status of a long paced Telegram reply (%s)', (mode) => {
  let api: FakeBotApi;
  let server: TestServer;
  let nextUpdate = 1;

  const ask = async (chatId: number) => {
    const res = await fetch(`${server.url}/api/integrations/telegram/webhook/demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({ update_id: nextUpdate++, ...textUpdate('Как оплатить счёт картой?', { id: chatId }, 1) }),
    });
    expect(res.status).toBe(200);
  };
  const toChat = (method: string, chatId: number): BotApiCall[] => api.succeeded(method).filter((c) => String(c.params.chat_id) === String(chatId));

  beforeAll(async () => {
    api = await startFakeBotApi();
    server = await startTestServer(mode, { ...LONG_TYPING, TELEGRAM_BOT_TOKEN: '123456:TEST-token_abc', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_BASE: api.url, TELEGRAM_MODE: 'webhook', PUBLIC_URL: 'https://chat.example' });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await api?.close();
  });

  it('is re-sent about every 4 s until the reply goes out, and not after it', { timeout: 90_000 }, async () => {
    const first = newChatId();
    await ask(first);
    const reply = await waitFor(() => toChat('sendMessage', first)[0], 30_000);
    expect(String(reply.params.text).length).toBeGreaterThanOrEqual(45);
    const typing = toChat('sendChatAction', first);
    expect(typing.every((c) => c.params.action === 'typing' && c.at < reply.at)).toBe(true);
    // 0.2 s, 4.2 s and 8.2 s after the message; the reply at 9.2 s.
    expect(typing.length).toBeGreaterThanOrEqual(3);
    const gaps = typing.slice(1).map((c, i) => c.at - typing[i]!.at);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(3800);
      expect(gap).toBeLessThan(6000);
    }

    // Another chat's reply types for 9 s as well: time for a renewal that outlived the first reply to show.
    const second = newChatId();
    await ask(second);
    const secondReply = await waitFor(() => toChat('sendMessage', second)[0], 30_000);
    expect(toChat('sendChatAction', second).filter((c) => c.at < secondReply.at).length).toBeGreaterThanOrEqual(3);
    expect(toChat('sendChatAction', first).filter((c) => c.at > reply.at)).toEqual([]);
  });
});
