/**
 * Starts the whole server on port 0 for a test, on one of the two storage modes:
 *  - `embedded`: PGlite in memory + in-process cache/limits/timers (the `pnpm start` default)
 *  - `postgres+redis`: a fresh database on this machine's Postgres and its Redis
 * Behaviour tests run against both with `describe.each(STORAGE_MODES)`.
 */
import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import type {
  OperatorClientToServerEvents,
  OperatorServerToClientEvents,
  VisitorAuth,
  VisitorClientToServerEvents,
  VisitorServerToClientEvents,
} from '@support-chat/protocol';
import { loadConfig } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { createMigratedTestDatabase } from '../../src/adapters/db/migrate.ts';
import type { Clock } from '../../src/services/ports.ts';
import { TEST_ORIGIN } from './server-process.ts';

export type StorageMode = 'embedded' | 'postgres+redis';
export const STORAGE_MODES: StorageMode[] = ['embedded', 'postgres+redis'];
export const REDIS_URL = 'redis://127.0.0.1:6379';

export interface TestServer extends RunningServer {
  mode: StorageMode;
  /** Its Redis key prefix (REDIS_PREFIX for a CLI that must reach it). */
  namespace: string;
  stop(): Promise<void>;
}

/** `logger`: a test that asserts on what is logged passes its own (default: silent). */
export async function startTestServer(mode: StorageMode, env: Record<string, string> = {}, options: { logger?: Logger; clock?: Clock } = {}): Promise<TestServer> {
  const database = mode === 'postgres+redis' ? await createMigratedTestDatabase() : null;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DELAYS_ENABLED: 'false',
    RATE_LIMIT_ENABLED: 'false',
    // Template answers unless a test imports articles: the demo ones would answer most questions.
    KNOWLEDGE_DEMO_ARTICLES: 'false',
    SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789',
    PUBLIC_URL: TEST_ORIGIN,
    ...(database ? { DATABASE_URL: database.url, REDIS_URL } : {}),
    ...env,
  });
  const namespace = `t${randomUUID().slice(0, 8)}`;
  const server = await startServer(config, {
    inMemory: true,
    logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    namespace,
    clock: options.clock,
  });
  return {
    ...server,
    mode,
    namespace,
    stop: async () => {
      await server.close();
      await database?.drop();
    },
  };
}

export type VisitorClient = Socket<VisitorServerToClientEvents, VisitorClientToServerEvents>;
export type OperatorClient = Socket<OperatorServerToClientEvents, OperatorClientToServerEvents>;

/** A widget-like visitor socket: from the demo site's page origin unless `headers` name another (`origin: null` = none). */
export function visitorSocket(url: string, auth: Partial<VisitorAuth> = {}, headers: Record<string, string | null> = {}): VisitorClient {
  const merged: Record<string, string | null> = { origin: TEST_ORIGIN };
  for (const [name, value] of Object.entries(headers)) merged[name.toLowerCase()] = value;
  const extraHeaders = Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== null));
  return connect(`${url}/visitor`, {
    auth: { siteKey: 'demo', visitorId: `visitor-${randomUUID()}`, ...auth },
    transports: ['websocket'],
    extraHeaders,
    reconnection: false,
    forceNew: true,
  });
}

export function operatorSocket(url: string, token: string): OperatorClient {
  return connect(`${url}/operator`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
}

/** Resolves with the first emission of `event` (or rejects after `ms`). */
export function nextEvent<T = unknown>(socket: { once(event: string, fn: (arg: T) => void): unknown }, event: string, ms = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for "${event}"`)), ms);
    socket.once(event, (arg: T) => {
      clearTimeout(timer);
      resolve(arg);
    });
  });
}

export function connected(client: VisitorClient | OperatorClient): Promise<void> {
  const socket = client as VisitorClient;
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
}

/** Collects every emission of an event (tests assert on the list afterwards). */
export function collect<T>(socket: { on(event: string, fn: (arg: T) => void): unknown }, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (arg: T) => seen.push(arg));
  return seen;
}

export async function waitFor<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, ms = 10_000, step = 20): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, step));
  }
}

/** Logs an operator in over REST and returns the session token (throws on anything but 200). */
export async function logInOperator(url: string, who: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${url}/api/operators/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: who.email, password: who.password }),
  });
  if (res.status !== 200) throw new Error(`login as ${who.email} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
