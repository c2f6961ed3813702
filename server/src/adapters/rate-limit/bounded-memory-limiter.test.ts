import { describe, expect, it } from 'vitest';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { BoundedMemoryLimiter } from './bounded-memory-limiter.ts';

const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

describe('BoundedMemoryLimiter', () => {
  it('holds at most maxKeys keys however many distinct clients arrive within one window', async () => {
    const limiter = new BoundedMemoryLimiter({ points: 1, duration: 3600, maxKeys: 1000 });
    for (let i = 0; i < 20_000; i++) await limiter.consume(ip(i));
    expect(limiter.dump().storage.length).toBe(1000);
  });

  it('keeps counting the newest keys and forgets the oldest first', async () => {
    const limiter = new BoundedMemoryLimiter({ points: 1, duration: 3600, maxKeys: 100 });
    for (let i = 0; i < 500; i++) await limiter.consume(ip(i));
    // The latest client is still over its limit …
    await expect(limiter.consume(ip(499))).rejects.toBeInstanceOf(RateLimiterRes);
    // … while the first one was evicted and starts over.
    await expect(limiter.consume(ip(0))).resolves.toMatchObject({ consumedPoints: 1 });
    expect(limiter.dump().storage.length).toBe(100);
  });

  it('limits like RateLimiterMemory below the ceiling', async () => {
    const limiter = new BoundedMemoryLimiter({ points: 2, duration: 60, maxKeys: 10 });
    await limiter.consume('a');
    await limiter.consume('a');
    const refused = await limiter.consume('a').catch((res: unknown) => res);
    expect(refused).toBeInstanceOf(RateLimiterRes);
    expect((refused as RateLimiterRes).msBeforeNext).toBeGreaterThan(0);
    expect((refused as RateLimiterRes).msBeforeNext).toBeLessThanOrEqual(60_000);
    await expect(limiter.consume('b')).resolves.toMatchObject({ remainingPoints: 1 });
  });
});
