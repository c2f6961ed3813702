/**
 * Operator login under a password-guessing run: limited per client IP first (429 past 20 tries),
 * and an account's failures slow later attempts down — a delay doubling from 250 ms to 8 s —
 * instead of locking the account. Attempts from an address the operator logged in from skip the
 * delay, so a guesser elsewhere can never keep the right password out; the right password from a
 * new address is slowed, not refused. The route runs with a recording `wait` (the delays are
 * counted, not spent) on the real rate limits: in memory, or in Redis.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import { Redis } from 'ioredis';
import Koa from 'koa';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimits } from '../src/adapters/rate-limit/rate-limits.ts';
import { errorMiddleware } from '../src/http/errors.ts';
import { FIRST_DELAY_MS, FREE_FAILURES, MAX_DELAY_MS } from '../src/http/login-slowdown.ts';
import { operatorLoginRoutes } from '../src/http/routes/operator-login.ts';
import { startTestServer, STORAGE_MODES, type TestServer } from './support/test-server.ts';

const ANNA = { email: 'anna@example.com', password: 'correct horse battery staple' };
const USUAL_IP = '198.51.100.10';

describe.each(STORAGE_MODES)('operator login slowdown (%s)', (mode) => {
  let server: TestServer;
  let redis: Redis | null = null;
  let http: Server;
  let url: string;
  const waits: number[] = [];

  const login = (ip: string, password: string) =>
    fetch(`${url}/api/operators/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ email: ANNA.email, password }),
    });

  beforeAll(async () => {
    server = await startTestServer(mode);
    await server.services.auth.upsert({ ...ANNA, name: 'Анна', role: 'operator' });
    if (mode === 'postgres+redis') redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
    const limits = createRateLimits({ redis, prefix: `t${randomUUID().slice(0, 8)}`, restPerMinute: 60, restPerHour: 1000, visitorMessagesPerMinute: 10 });
    // The app as createApp builds it, with only the login route, behind a trusted proxy.
    const app = new Koa({ proxy: true, proxyIpHeader: 'X-Forwarded-For' });
    app.silent = true;
    app.use(errorMiddleware(pino({ level: 'silent' })));
    app.use(bodyParser({ enableTypes: ['json'] }));
    app.use(operatorLoginRoutes(server.services.auth, limits, { wait: async (ms) => waits.push(ms) }).routes());
    http = createServer(app.callback());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => http?.close(resolve));
    redis?.disconnect();
    await server?.stop();
  });

  it('slows a distributed guesser down, never locks the account, and never slows the operator at her usual address', async () => {
    expect((await login(USUAL_IP, ANNA.password)).status).toBe(200);
    expect(waits).toEqual([]);

    // Twelve wrong passwords, each from another address: no per-IP limit is reached, none is locked out.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(`203.0.113.${i + 1}`, `guess-${i}`)).status);
    expect(statuses).toEqual(Array(12).fill(401));
    // The first failures are free (typos), then every attempt waits twice as long, up to the cap.
    const expected = Array.from({ length: 12 - FREE_FAILURES }, (_, i) => Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** i));
    expect(waits).toEqual(expected);

    // The operator at her usual address: straight in, no wait.
    waits.length = 0;
    const usual = await login(USUAL_IP, ANNA.password);
    expect(usual.status).toBe(200);
    expect(((await usual.json()) as { token: string }).token).toBeTruthy();
    expect(waits).toEqual([]);

    // From a new address the right password is slowed by the account's failures, and still let in.
    const travelling = await login('192.0.2.50', ANNA.password);
    expect(travelling.status).toBe(200);
    expect(waits).toEqual([MAX_DELAY_MS]);
  });

  it('limits attempts per client IP first: past 20 in 5 minutes it is 429 with Retry-After, the right password included', async () => {
    const ip = '203.0.113.200';
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await login(ip, `wrong-${i}`)).status);
    expect(statuses).toEqual(Array(20).fill(401));
    const refused = await login(ip, ANNA.password);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toEqual({ error: { code: 'rate_limited', message: 'Too many login attempts, try again in a few minutes' } });
    // That address's limit holds nobody else back.
    expect((await login(USUAL_IP, ANNA.password)).status).toBe(200);
  });
});
