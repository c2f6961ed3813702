/** Redis versions of the cache and outage window: shared by every server process. */
import type { Redis } from 'ioredis';
import type { KeyValueCache, OutageReports } from '../../services/ports.ts';

/**
 * Hears a Redis command that failed (Redis is down or too slow). The cache and the outage window
 * only make the bot faster and smarter, never decide whether a message is answered: a failure is
 * reported here and the caller carries on as if Redis had nothing.
 */
export type RedisFailureHandler = (operation: string, error: unknown) => void;

/** A failed read is a miss; a failed write or delete is reported and skipped. */
export class RedisCache implements KeyValueCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'sc:cache:',
    private readonly onError: RedisFailureHandler = () => {},
  ) {}

  get(key: string): Promise<string | null> {
    return this.redis.get(this.prefix + key).catch((error: unknown) => {
      this.onError('cache get', error);
      return null;
    });
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.round(ttlSeconds * 1000))).catch((error: unknown) => this.onError('cache set', error));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key).catch((error: unknown) => this.onError('cache delete', error));
  }
}

/**
 * A sorted set per site: member = visitor, score = latest report time. Without Redis a report is
 * not counted (no incident opens from reports Redis cannot hold); the visitor still gets a reply.
 */
export class RedisOutageReports implements OutageReports {
  constructor(
    private readonly redis: Redis,
    private readonly windowMs: number,
    private readonly prefix = 'sc:outage:',
    private readonly onError: RedisFailureHandler = () => {},
  ) {}

  async record(siteId: string, visitorId: string, at: Date): Promise<string[]> {
    const key = this.prefix + siteId;
    const now = at.getTime();
    try {
      const results = await this.redis
        .multi()
        .zadd(key, now, visitorId)
        .zremrangebyscore(key, '-inf', now - this.windowMs)
        .zrange(key, '0', '-1')
        .pexpire(key, this.windowMs)
        .exec();
      return (results?.[2]?.[1] as string[] | undefined) ?? [];
    } catch (error) {
      this.onError('outage record', error);
      return [];
    }
  }

  async clear(siteId: string): Promise<void> {
    await this.redis.del(this.prefix + siteId).catch((error: unknown) => this.onError('outage clear', error));
  }
}
