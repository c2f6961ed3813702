/**
 * `pnpm bench embedded`: the embedded server (PGlite in memory, delays off) under 200 concurrent
 * socket visitors (send → ack → send) for 10 s, with PGlite on the server's thread and in its
 * worker thread, interleaved (main, worker, main, worker). The server runs in a child process
 * and reports its own event-loop delay (perf_hooks.monitorEventLoopDelay) and utilization, so
 * the visitors' client work in this process does not count. Issue 9: PGlite on the main thread
 * kept timers and socket reads waiting.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import type { VisitorClientToServerEvents, VisitorServerToClientEvents } from '@support-chat/protocol';
import { loadConfig } from '../server/src/config.ts';
import { startServer } from '../server/src/server.ts';
import { ms, summarize } from './percentiles.ts';
import { TEST_ORIGIN } from '../server/test/support/server-process.ts';

type Thread = 'main' | 'worker';
type Visitor = Socket<VisitorServerToClientEvents, VisitorClientToServerEvents>;

const VISITORS = 200;
const SECONDS = 10;
const TEXTS = ['Привет', 'интернет не работает', 'сколько стоит тариф 500 мбит', 'how do I reset my password', 'спасибо!', 'какой у вас телефон?'];

interface LoopReport {
  p50: number;
  p99: number;
  max: number;
  utilization: number;
}

/** The child: the server, measuring its own loop between `reset` and `report`. */
async function serve(thread: Thread): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DELAYS_ENABLED: 'false',
    RATE_LIMIT_ENABLED: 'false',
    SECRET_KEY: 'x'.repeat(40),
    ALLOWED_ORIGINS: TEST_ORIGIN,
    // Every message takes the whole bot path.
    ESCALATION_REPEAT_THRESHOLD: '1000000',
    LOW_CONFIDENCE_STREAK: '1000000',
  });
  const server = await startServer(config, { inMemory: true, pgliteThread: thread, logger: pino({ level: 'silent' }), namespace: `bench${randomUUID().slice(0, 6)}` });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let utilizationFrom = performance.eventLoopUtilization();
  process.on('message', async (command: string) => {
    if (command === 'reset') {
      delay.reset();
      delay.enable();
      utilizationFrom = performance.eventLoopUtilization();
      process.send!('reset');
    } else if (command === 'report') {
      delay.disable();
      const report: LoopReport = {
        p50: delay.percentile(50) / 1e6,
        p99: delay.percentile(99) / 1e6,
        max: delay.max / 1e6,
        utilization: performance.eventLoopUtilization(utilizationFrom).utilization,
      };
      process.send!(report);
    } else if (command === 'stop') {
      await server.close();
      process.exit(0);
    }
  });
  process.send!({ url: server.url });
}

function childSays<T>(child: ChildProcess, test: (message: unknown) => message is T): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!test(message)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => reject(new Error(`bench server exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function connect(url: string): Promise<Visitor> {
  const socket: Visitor = io(`${url}/visitor`, { auth: { siteKey: 'demo', visitorId: `bench-${randomUUID()}` }, transports: ['websocket'], extraHeaders: { origin: TEST_ORIGIN }, reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

async function send(socket: Visitor, i: number): Promise<void> {
  const ack = await socket.timeout(30_000).emitWithAck('message:send', { clientMessageId: randomUUID(), text: TEXTS[i % TEXTS.length]! });
  if (!ack.ok) throw new Error(`send failed: ${ack.error.message}`);
}

async function measure(thread: Thread): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', thread], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  try {
    const { url } = await childSays(child, (m): m is { url: string } => typeof m === 'object' && m !== null && 'url' in m);
    const visitors = await Promise.all(Array.from({ length: VISITORS }, () => connect(url)));
    let dropped = 0;
    for (const socket of visitors) socket.on('disconnect', (reason) => reason !== 'io client disconnect' && dropped++);
    // Each visitor's first message opens its conversation: not what is measured.
    await Promise.all(visitors.map((socket, i) => send(socket, i)));

    child.send('reset');
    await childSays(child, (m): m is 'reset' => m === 'reset');
    const acks: number[] = [];
    let failed = 0;
    const started = performance.now();
    const end = started + SECONDS * 1000;
    await Promise.all(
      visitors.map(async (socket, v) => {
        for (let i = v; performance.now() < end; i++) {
          const start = performance.now();
          try {
            await send(socket, i);
            acks.push(performance.now() - start);
          } catch {
            failed++;
          }
        }
      }),
    );
    const took = (performance.now() - started) / 1000;
    child.send('report');
    const loop = await childSays(child, (m): m is LoopReport => typeof m === 'object' && m !== null && 'p99' in m);
    for (const socket of visitors) socket.disconnect();

    const a = summarize(acks);
    console.log(
      `PGlite on ${thread === 'main' ? 'the main thread' : 'a worker thread '}: ${(a.n / took).toFixed(0).padStart(4)} msgs/s, ack p50 ${ms(a.p50)} p99 ${ms(a.p99)}; ` +
        `server event-loop delay p50 ${ms(loop.p50)} p99 ${ms(loop.p99)} max ${ms(loop.max)}, utilization ${(loop.utilization * 100).toFixed(0)}%; ` +
        `${failed} failed, ${dropped} dropped sockets`,
    );
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

export async function runEmbeddedEventLoopBench(): Promise<void> {
  console.log(`${VISITORS} visitors, ${SECONDS} s each run, delays off; event-loop delay is the server process's own`);
  for (const thread of ['main', 'worker', 'main', 'worker'] as const) await measure(thread);
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3] as Thread);
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runEmbeddedEventLoopBench().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
