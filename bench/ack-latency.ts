/**
 * 1,000 sequential visitor messages over one socket, delays off, on Postgres (and on the
 * embedded default for comparison): how long until each `message:send` is acknowledged.
 * Goal: p99 ≤ 25 ms on Postgres (stretch ≤ 10 ms).
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { io } from 'socket.io-client';
import type { VisitorClientToServerEvents, VisitorServerToClientEvents } from '@support-chat/protocol';
import type { Socket } from 'socket.io-client';
import { loadConfig } from '../server/src/config.ts';
import { startServer } from '../server/src/server.ts';
import { createTestDatabase } from '../server/src/adapters/db/migrate.ts';
import { ms, summarize } from './percentiles.ts';
import { TEST_ORIGIN } from '../server/test/support/server-process.ts';

const MESSAGES = 1000;
const WARMUP = 50;
const TEXTS = ['Привет', 'интернет не работает', 'сколько стоит тариф 500 мбит', 'how do I reset my password', 'спасибо!', 'позовите оператора'];

async function measure(label: string, env: Record<string, string>, inMemory: boolean): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', DELAYS_ENABLED: 'false', RATE_LIMIT_ENABLED: 'false', SECRET_KEY: 'x'.repeat(40), ALLOWED_ORIGINS: TEST_ORIGIN, ESCALATION_REPEAT_THRESHOLD: '1000000', LOW_CONFIDENCE_STREAK: '1000000', ...env });
  const server = await startServer(config, { inMemory, logger: pino({ level: 'silent' }), namespace: `bench${randomUUID().slice(0, 6)}` });
  const socket: Socket<VisitorServerToClientEvents, VisitorClientToServerEvents> = io(`${server.url}/visitor`, {
    auth: { siteKey: 'demo', visitorId: `bench-${randomUUID()}` },
    transports: ['websocket'],
    extraHeaders: { origin: TEST_ORIGIN },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const samples: number[] = [];
  for (let i = 0; i < MESSAGES + WARMUP; i++) {
    const start = performance.now();
    const ack = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text: TEXTS[i % TEXTS.length]! });
    const took = performance.now() - start;
    if (!ack.ok) throw new Error(`send failed: ${ack.error.message}`);
    if (i >= WARMUP) samples.push(took);
  }
  socket.disconnect();
  await server.close();
  const s = summarize(samples);
  console.log(`ack latency (${label}): p50=${ms(s.p50)} p99=${ms(s.p99)} max=${ms(s.max)} n=${s.n}  [goal p99 ≤ 25 ms, stretch ≤ 10 ms]`);
}

export async function runAckLatencyBench(): Promise<void> {
  const db = await createTestDatabase();
  try {
    await measure('postgres', { DATABASE_URL: db.url }, false);
  } finally {
    await db.drop();
  }
  await measure('embedded PGlite', {}, true);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runAckLatencyBench().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
