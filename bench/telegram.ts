/**
 * Telegram bench: 1,000 incoming updates (distinct private chats, understood questions) POSTed to
 * the webhook of a real server process with delays off, 20 in flight at a time; per update, the
 * time from sending it to the webhook until the fake Bot API (in this process) receives the
 * sendMessage that answers it. On Postgres + Redis (goal p99 ≤ 100 ms) and on the embedded default.
 *
 *   pnpm bench telegram
 */
import { createTestDatabase } from '../server/src/adapters/db/migrate.ts';
import { claimRedisDatabase, spawnServer, tempDataDir, type ServerProcess } from '../server/test/support/server-process.ts';
import { startFakeBotApi, textUpdate } from '../server/test/support/fake-bot-api.ts';
import { ms, summarize } from './percentiles.ts';

const UPDATES = 1000;
const WARMUP = 30;
const CONCURRENCY = 20;
const SECRET = 'bench-webhook-secret';
const TEXTS = ['Сколько стоит тариф 500 мегабит?', 'Как оплатить счёт картой?', 'Как поменять пароль от личного кабинета?', 'how do I change my account email'];

type Mode = 'postgres+redis' | 'embedded';

async function runMode(mode: Mode): Promise<void> {
  const api = await startFakeBotApi();
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const answered = new Map<string, () => void>();
  api.onCall = (call) => {
    if (call.method !== 'sendMessage') return;
    const chat = String(call.params.chat_id);
    const start = sentAt.get(chat);
    if (start === undefined) return;
    sentAt.delete(chat);
    latencies.push(call.at - start);
    answered.get(chat)?.();
  };
  let cleanup: () => Promise<void>;
  let env: Record<string, string>;
  const telegram = { TELEGRAM_BOT_TOKEN: '123456:BENCH-token', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_BASE: api.url, TELEGRAM_MODE: 'webhook', PUBLIC_URL: 'https://chat.example', DELAYS_ENABLED: 'false', LOG_LEVEL: 'error' };
  if (mode === 'embedded') {
    const data = await tempDataDir();
    env = { ...telegram, DATA_DIR: data.dir };
    cleanup = data.remove;
  } else {
    const [database, redis] = await Promise.all([createTestDatabase(), claimRedisDatabase()]);
    env = { ...telegram, DATABASE_URL: database.url, REDIS_URL: redis.url };
    cleanup = async () => {
      await redis.release();
      await database.drop();
    };
  }
  let server: ServerProcess | null = null;
  try {
    server = await spawnServer(env, { built: true, name: `telegram ${mode}`, timeoutMs: 120_000 });
    const url = `${server.url}/api/integrations/telegram/webhook/demo`;
    let next = 0;
    const send = async (i: number) => {
      const chatId = 7_000_000 + i;
      const done = new Promise<void>((resolve) => answered.set(String(chatId), resolve));
      sentAt.set(String(chatId), Date.now());
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify({ update_id: i + 1, ...textUpdate(TEXTS[i % TEXTS.length]!, { id: chatId }, 1) }),
      });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`no sendMessage for update ${i} within 30 s`)), 30_000).unref())]);
      answered.delete(String(chatId));
    };
    // Warm-up (JIT, connection pools, caches), then the measured run.
    for (let i = 0; i < WARMUP; i++) await send(UPDATES + i);
    latencies.length = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < UPDATES) await send(next++);
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    const s = summarize(latencies);
    console.log(
      `${mode.padEnd(15)} webhook receipt → sendMessage at the Bot API: p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)}  (n=${s.n}, ${CONCURRENCY} in flight, ${(UPDATES / elapsed).toFixed(0)} updates/s)${mode === 'postgres+redis' ? `  goal p99 ≤ 100 ms: ${s.p99 <= 100 ? 'met' : 'NOT met'}` : ''}`,
    );
  } finally {
    await server?.kill('SIGTERM');
    await cleanup();
    await api.close();
  }
}

export async function runTelegramBench(): Promise<void> {
  await runMode('postgres+redis');
  await runMode('embedded');
}
