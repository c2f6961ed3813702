/** Redis versions of the cache and outage window: shared by every server process. */
import type { Redis } from 'ioredis';
import type { KeyValueCache, OutageReports } from '../../services/ports.ts';

export class RedisCache implements KeyValueCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'sc:cache:',
  ) {}

  get(key: string): Promise<string | null> {
    return this.redis.get(this.prefix + key);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.round(ttlSeconds * 1000)));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}

/** A sorted set per site: member = visitor, score = latest report time. */
export class RedisOutageReports implements OutageReports {
  constructor(
    private readonly redis: Redis,
    private readonly windowMs: number,
    private readonly prefix = 'sc:outage:',
  ) {}

  async record(siteId: string, visitorId: string, at: Date): Promise<string[]> {
    const key = this.prefix + siteId;
    const now = at.getTime();
    const results = await this.redis
      .multi()
      .zadd(key, now, visitorId)
      .zremrangebyscore(key, '-inf', now - this.windowMs)
      .zrange(key, '0', '-1')
      .pexpire(key, this.windowMs)
      .exec();
    return (results?.[2]?.[1] as string[] | undefined) ?? [];
  }

  async clear(siteId: string): Promise<void> {
    await this.redis.del(this.prefix + siteId);
  }
}
