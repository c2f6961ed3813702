/**
 * Redis-backed rate limits keep answering while Redis is away: from each process's memory, at
 * once, never an error and never a wait on Redis. Redis is reached through a TCP proxy the test
 * cuts (this machine's Redis itself is never touched), or not at all (a closed port).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimits, type Limit, type RateLimits } from '../src/adapters/rate-limit/rate-limits.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { waitFor } from './support/test-server.ts';

const HANG_GUARD_MS = 5000;

/** Consumes one point; fails the test if the limit does not answer in time (it hung on Redis). */
function consume(limit: Limit, key: string): Promise<'allowed' | 'limited'> {
  let timer: NodeJS.Timeout;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the limit did not answer within ${HANG_GUARD_MS} ms`)), HANG_GUARD_MS);
  });
  const answer = limit.consume(key).then(
    () => 'allowed' as const,
    (res: unknown) => {
      if (res instanceof RateLimiterRes) return 'limited' as const;
      throw res;
    },
  );
  return Promise.race([answer, guard]).finally(() => clearTimeout(timer));
}

const limitsVia = (redis: Redis, prefix: string): RateLimits =>
  createRateLimits({ redis, prefix, restPerMinute: 2, restPerHour: 100, visitorMessagesPerMinute: 2 });

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('rate limits with Redis unreachable from the start', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis({ host: '127.0.0.1', port: await closedPort(), maxRetriesPerRequest: 2, retryStrategy: () => 100 });
    redis.on('error', () => {}); // refused connections are expected here
  });
  afterAll(() => redis.disconnect());

  it('answers from process memory: allowed up to the limit, then limited', async () => {
    const limits = limitsVia(redis, `t${randomUUID().slice(0, 8)}`);
    expect(redis.status).not.toBe('ready');
    expect([await consume(limits.restPerMinute, '203.0.113.1'), await consume(limits.restPerMinute, '203.0.113.1')]).toEqual(['allowed', 'allowed']);
    expect(await consume(limits.restPerMinute, '203.0.113.1')).toBe('limited');
    expect(await consume(limits.restPerMinute, '203.0.113.2')).toBe('allowed');
  });
});

describe('rate limits when Redis goes away and comes back', () => {
  let proxy: TcpProxy;
  let redis: Redis;
  let observer: Redis;
  const prefix = `t${randomUUID().slice(0, 8)}`;
  let limits: RateLimits;

  beforeAll(async () => {
    proxy = await startTcpProxy({ port: 6379 });
    redis = new Redis({ host: '127.0.0.1', port: proxy.port, maxRetriesPerRequest: 2, retryStrategy: () => 100 });
    redis.on('error', () => {});
    observer = new Redis('redis://127.0.0.1:6379');
    await waitFor(() => redis.status === 'ready');
    limits = limitsVia(redis, prefix);
  });
  afterAll(async () => {
    redis.disconnect();
    const keys = await observer.keys(`${prefix}:*`);
    if (keys.length) await observer.del(...keys);
    await observer.quit();
    await proxy.close();
  });

  it('counts in Redis while it is up (shared by every process)', async () => {
    const otherProcess = limitsVia(redis, prefix);
    expect(await consume(limits.visitorMessages, 'site:visitor-1')).toBe('allowed');
    expect(await consume(otherProcess.visitorMessages, 'site:visitor-1')).toBe('allowed');
    expect(await consume(limits.visitorMessages, 'site:visitor-1')).toBe('limited');
    expect(await observer.get(`${prefix}:rl:msg:site:visitor-1`)).toBe('3');
  });

  it('answers from memory at once when Redis refuses connections', async () => {
    proxy.cut('refuse');
    await waitFor(() => redis.status !== 'ready');
    expect(await consume(limits.restPerMinute, '198.51.100.1')).toBe('allowed');
    expect(await consume(limits.restPerMinute, '198.51.100.1')).toBe('allowed');
    expect(await consume(limits.restPerMinute, '198.51.100.1')).toBe('limited');
  });

  it('gives up on a Redis that is connected but silent and answers from memory', async () => {
    proxy.restore();
    await waitFor(() => redis.status === 'ready');
    proxy.cut('blackhole'); // the connection stays "ready"; commands just never come back
    expect(redis.status).toBe('ready');
    expect(await consume(limits.loginPerIp, '198.51.100.2')).toBe('allowed');
    expect(await consume(limits.loginFailures, 'anna@example.com')).toBe('allowed');
  });

  it('counts in Redis again once it is back', async () => {
    proxy.restore();
    // The frozen connection is dropped by the proxy; ioredis reconnects on its own.
    await waitFor(async () => redis.status === 'ready' && (await consume(limits.profileUpdates, 'site:visitor-2')) === 'allowed' && (await observer.exists(`${prefix}:rl:profile:site:visitor-2`)) === 1, 15_000);
  });
});
