/**
 * The classification cache: the same message (after normalization) is classified once per TTL,
 * in memory and in a real Redis, and hits/misses are counted for the monitoring stats.
 */
import { randomUUID } from 'node:crypto';
import type { Classification } from '@support-chat/protocol';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../src/adapters/cache/memory-cache.ts';
import { RedisCache } from '../src/adapters/cache/redis-cache.ts';
import { CachedClassifier } from '../src/adapters/classifier/cached-classifier.ts';
import type { DetailedClassification } from '../src/adapters/classifier/openai-classifier.ts';
import type { Classifier, KeyValueCache } from '../src/services/ports.ts';

/** Counts the calls that got past the cache. */
function countingClassifier(result: Omit<Classification, 'source'> = { category: 'GREETING', confidence: 0.97 }) {
  const inner = {
    calls: 0,
    async classify(): Promise<Classification> {
      inner.calls++;
      return { ...result, source: 'llm' };
    },
  };
  return inner;
}

function fakeClock(start = Date.UTC(2025, 0, 1)) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
}

describe('classification cache (memory)', () => {
  it('serves a second identical message from the cache with source "cache"', async () => {
    const inner = countingClassifier();
    const cached = new CachedClassifier(inner, { cache: new MemoryCache(fakeClock()), modelId: 'm', ttlSeconds: 300 });

    await expect(cached.classify('Привет!')).resolves.toEqual({ category: 'GREETING', confidence: 0.97, source: 'llm' });
    await expect(cached.classify('Привет!')).resolves.toEqual({ category: 'GREETING', confidence: 0.97, source: 'cache' });
    expect(inner.calls).toBe(1);
  });

  it('treats messages that normalize alike as the same message', async () => {
    const inner = countingClassifier();
    const cached = new CachedClassifier(inner, { cache: new MemoryCache(fakeClock()), modelId: 'm', ttlSeconds: 300 });

    await cached.classify('Привет!!!');
    await expect(cached.classify('  привет ')).resolves.toMatchObject({ source: 'cache' });
    await expect(cached.classify('ПРИВЕТ')).resolves.toMatchObject({ source: 'cache' });
    expect(inner.calls).toBe(1);
    expect(cached.key('Привет!!!')).toBe(cached.key('привет'));
  });

  it('counts hits and misses', async () => {
    const cached = new CachedClassifier(countingClassifier(), { cache: new MemoryCache(fakeClock()), modelId: 'm', ttlSeconds: 300 });
    expect(cached.stats()).toEqual({ hits: 0, misses: 0, hitRate: 0 });

    await cached.classify('hello');
    await cached.classify('hello');
    await cached.classify('hello');
    await cached.classify('bye');
    expect(cached.stats()).toEqual({ hits: 2, misses: 2, hitRate: 0.5 });
  });

  it('forgets an entry once its TTL has passed', async () => {
    const clock = fakeClock();
    const inner = countingClassifier();
    const cached = new CachedClassifier(inner, { cache: new MemoryCache(clock), modelId: 'm', ttlSeconds: 300 });

    await cached.classify('hello');
    clock.advance(299_000);
    await expect(cached.classify('hello')).resolves.toMatchObject({ source: 'cache' });
    clock.advance(1_000);
    await expect(cached.classify('hello')).resolves.toMatchObject({ source: 'llm' });
    expect(inner.calls).toBe(2);
  });

  it('classifies a burst of the same message once and shares the answer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = countingClassifier();
    const slow: Classifier = { classify: async () => (await gate, inner.classify()) };
    const cached = new CachedClassifier(slow, { cache: new MemoryCache(fakeClock()), modelId: 'm', ttlSeconds: 300 });

    const answers = Promise.all([cached.classify('нет интернета'), cached.classify('Нет интернета!'), cached.classify('нет интернета')]);
    release();
    expect((await answers).map((a) => a.source)).toEqual(['llm', 'cache', 'cache']);
    expect(inner.calls).toBe(1);
    expect(cached.stats()).toMatchObject({ hits: 2, misses: 1 });
  });

  it('keeps the results of different models apart', async () => {
    const cache = new MemoryCache(fakeClock());
    const first = new CachedClassifier(countingClassifier(), { cache, modelId: 'openai:gpt-4o-mini', ttlSeconds: 300 });
    const second = new CachedClassifier(countingClassifier(), { cache, modelId: 'openai:gpt-4.1', ttlSeconds: 300 });

    await first.classify('hello');
    await expect(second.classify('hello')).resolves.toMatchObject({ source: 'llm' });
  });

  it('does not remember a stand-in answer given while the LLM was unreachable', async () => {
    let calls = 0;
    const inner: Classifier & { classifyDetailed(text: string): Promise<DetailedClassification> } = {
      classify: async () => ({ category: 'UNKNOWN', confidence: 0.2, source: 'local' }),
      classifyDetailed: async () => {
        calls++;
        return { classification: { category: 'UNKNOWN', confidence: 0.2, source: 'local' }, cacheable: false };
      },
    };
    const cached = new CachedClassifier(inner, { cache: new MemoryCache(fakeClock()), modelId: 'm', ttlSeconds: 300 });

    await cached.classify('hello');
    await expect(cached.classify('hello')).resolves.toMatchObject({ source: 'local' });
    expect(calls).toBe(2);
  });

  it('still classifies when the cache itself fails', async () => {
    const broken: KeyValueCache = {
      get: () => Promise.reject(new Error('connection lost')),
      set: () => Promise.reject(new Error('connection lost')),
      delete: () => Promise.reject(new Error('connection lost')),
    };
    const warnings: string[] = [];
    const cached = new CachedClassifier(countingClassifier(), {
      cache: broken,
      modelId: 'm',
      ttlSeconds: 300,
      logger: { warn: (_details, message) => warnings.push(message) },
    });

    await expect(cached.classify('hello')).resolves.toMatchObject({ category: 'GREETING', source: 'llm' });
    await expect(cached.classify('hello again')).resolves.toMatchObject({ category: 'GREETING', source: 'llm' });
    expect(cached.stats().misses).toBe(2);
    expect(warnings).toHaveLength(1); // said once, not per message
  });

  it('treats an unreadable entry as a miss', async () => {
    const cache = new MemoryCache(fakeClock());
    const cached = new CachedClassifier(countingClassifier(), { cache, modelId: 'm', ttlSeconds: 300 });
    await cache.set(cached.key('hello'), '{"category":"FREE_MONTH","confidence":1}', 300);

    await expect(cached.classify('hello')).resolves.toMatchObject({ category: 'GREETING', source: 'llm' });
  });
});

describe('classification cache (Redis)', () => {
  const prefix = `test:classify:${randomUUID()}:`;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('serves a second identical message from Redis, across classifier instances', async () => {
    const firstInner = countingClassifier({ category: 'OUTAGE_REPORT', confidence: 0.91 });
    const first = new CachedClassifier(firstInner, { cache: new RedisCache(redis, prefix), modelId: 'm', ttlSeconds: 300 });
    await expect(first.classify('Нет интернета!')).resolves.toMatchObject({ source: 'llm' });

    // A second server process: its own classifier, the same Redis.
    const secondInner = countingClassifier();
    const second = new CachedClassifier(secondInner, { cache: new RedisCache(redis, prefix), modelId: 'm', ttlSeconds: 300 });
    await expect(second.classify('нет   интернета')).resolves.toEqual({ category: 'OUTAGE_REPORT', confidence: 0.91, source: 'cache' });
    expect(secondInner.calls).toBe(0);
    expect(second.stats()).toEqual({ hits: 1, misses: 0, hitRate: 1 });
  });

  it('stores entries with the configured TTL', async () => {
    const cached = new CachedClassifier(countingClassifier(), { cache: new RedisCache(redis, prefix), modelId: 'm', ttlSeconds: 300 });
    await cached.classify('ttl check');
    const ttlMs = await redis.pttl(prefix + cached.key('ttl check'));
    expect(ttlMs).toBeGreaterThan(290_000);
    expect(ttlMs).toBeLessThanOrEqual(300_000);
  });

  it('misses again once the Redis entry has expired', async () => {
    const inner = countingClassifier();
    const cached = new CachedClassifier(inner, { cache: new RedisCache(redis, prefix), modelId: 'm', ttlSeconds: 0.2 });
    await cached.classify('short lived');
    await expect(cached.classify('short lived')).resolves.toMatchObject({ source: 'cache' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(cached.classify('short lived')).resolves.toMatchObject({ source: 'llm' });
    expect(cached.stats()).toEqual({ hits: 1, misses: 2, hitRate: 1 / 3 });
  });
});
