/**
 * A private `redis-server` on a free loopback port, for tests that take Redis away and give it
 * back: `stop()` ends it (SIGTERM, waits for the exit), `start()` serves again on the same port.
 * Nothing is persisted (`--save ''`, no AOF), so a restart is an empty Redis — as after a crash.
 * The machine's own Redis is never touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from './browser.ts';

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** Whether the server process is running. */
  readonly running: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** One PING over a raw socket: true when a Redis answers +PONG on the port. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** `started: false` leaves it stopped (a Redis that is down when the server starts). */
export async function startPrivateRedis(options: { started?: boolean } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    if (child) return;
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    void exited.then(() => {
      if (child === proc) child = null;
    });
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(port))) {
      if (child !== proc) throw new Error(`redis-server on port ${port} exited before answering PING`);
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const stop = async () => {
    const proc = child;
    if (!proc) return;
    proc.kill('SIGTERM');
    await exited;
  };

  if (options.started ?? true) await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== null;
    },
    start,
    stop,
  };
}
