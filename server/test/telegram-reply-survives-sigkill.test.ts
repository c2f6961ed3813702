import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../src/adapters/db/migrate.ts';
import { newChatId, startFakeBotApi, textUpdate, type FakeBotApi } from './support/fake-bot-api.ts';
import { claimRedisDatabase, sleep, spawnServer, tempDataDir, type ServerProcess } from './support/server-process.ts';
import { STORAGE_MODES, waitFor } from './support/test-server.ts';

const SECRET = 'webhook-secret-0123';
// Long enough that a busy machine still kills the server inside the delay.
const PACING = { DELAYS_ENABLED: 'true', RESPONSE_DELAY_SECONDS: '4', TYPING_MAX_SECONDS: '0.5', PACING_JITTER: '0' };
/** The reply is due 4 s (+ ≤ 0.5 s typing) after the message was decided. */
const LATEST_DUE_MS = 4500;

describe.each(STORAGE_MODES)('a Telegram reply pending when the server is SIGKILLed (%s)', (mode) => {
  let api: FakeBotApi;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    api = await startFakeBotApi();
    const telegram = { TELEGRAM_BOT_TOKEN: '123456:TEST-token_abc', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_BASE: api.url, TELEGRAM_MODE: 'webhook', PUBLIC_URL: 'https://chat.example' };
    if (mode === 'embedded') {
      const data = await tempDataDir(); // a file-backed PGlite: the in-memory one would die with the process
      env = { ...PACING, ...telegram, DATA_DIR: data.dir };
      cleanup = data.remove;
    } else {
      const [database, redis] = await Promise.all([createTestDatabase(), claimRedisDatabase()]);
      env = { ...PACING, ...telegram, DATABASE_URL: database.url, REDIS_URL: redis.url };
      cleanup = async () => {
        await redis.release();
        await database.drop();
      };
    }
  });
  afterAll(async () => {
    await server?.kill('SIGKILL');
    await cleanup?.();
    await api?.close();
  });

  it('is sent exactly once by the restarted server, not early', { timeout: 420_000 }, async () => {
    server = await spawnServer(env, { name: `${mode} #1`, timeoutMs: 180_000 });
    const chatId = newChatId();
    const res = await fetch(`${server.url}/api/integrations/telegram/webhook/demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({ update_id: 1, ...textUpdate('Сколько стоит тариф 500 мегабит?', { id: chatId }, 1) }),
    });
    expect(res.status).toBe(200); // stored
    const receivedAt = Date.now();
    await sleep(700); // decided and planned; due seconds later
    await server.kill('SIGKILL');
    const sentTo = () => api.succeeded('sendMessage').filter((c) => String(c.params.chat_id) === String(chatId));
    expect(sentTo()).toEqual([]);

    server = await spawnServer(env, { name: `${mode} #2`, timeoutMs: 180_000 });
    const reply = await waitFor(() => sentTo()[0], 30_000);
    expect(reply.at - receivedAt).toBeGreaterThanOrEqual(LATEST_DUE_MS - 1000); // not before its time
    // Past the due time plus a margin: a second copy (re-armed timer, overdue poll, outbox sweep) would be here by now.
    await sleep(Math.max(0, receivedAt + LATEST_DUE_MS - Date.now()) + 3000);
    expect(sentTo()).toHaveLength(1);
  });
});
