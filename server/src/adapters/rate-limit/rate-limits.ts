/**
 * Every rate limit of the server, on rate-limiter-flexible: in process memory for the embedded
 * default, in Redis (shared by every server process) when REDIS_URL is set.
 *
 * A Redis limit never blocks or fails a request because Redis is away: while the client is not
 * connected it answers at once from a per-process memory limit (`rejectIfRedisNotReady` +
 * `insuranceLimiter`), and a Redis that is connected but silent (a partition) is given up on
 * after `redisTimeoutMs`, again for the memory limit. Limits are per process until Redis is back.
 */
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RLWrapperTimeouts, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { BoundedMemoryLimiter } from './bounded-memory-limiter.ts';

/** What a transport needs from a limit: consume a point for a key, rejected with `RateLimiterRes` when over. */
export type Limit = Pick<RateLimiterAbstract, 'consume'>;

export interface RateLimits {
  /** REST requests per client IP. */
  restPerMinute: Limit;
  restPerHour: Limit;
  /** Widget messages per visitor. */
  visitorMessages: Limit;
  /** Profile updates (`setVisitor`) per visitor: each is a write and a push to operators. */
  profileUpdates: Limit;
  /** Operator login attempts per client IP and per email (password guessing). */
  loginPerIp: Limit;
  loginPerEmail: Limit;
}

export interface RateLimitOptions {
  /** Shared limits through this client; null keeps them in process memory. */
  redis: Redis | null;
  /** Prefix of the Redis keys (REDIS_PREFIX or a test namespace). */
  prefix: string;
  restPerMinute: number;
  restPerHour: number;
  visitorMessagesPerMinute: number;
  /** Keys one in-memory limit holds at most (distinct IPs or visitors inside its window). */
  maxMemoryKeys?: number;
  /** How long a connected Redis may take before the memory limit answers instead. */
  redisTimeoutMs?: number;
}

const PROFILE_UPDATES_PER_MINUTE = 10;
const LOGIN_WINDOW_SECONDS = 300;

export function createRateLimits(options: RateLimitOptions): RateLimits {
  const { redis, prefix, maxMemoryKeys = 50_000, redisTimeoutMs = 300 } = options;
  const limit = (name: string, points: number, duration: number): Limit => {
    const memory = new BoundedMemoryLimiter({ keyPrefix: name, points, duration, maxKeys: maxMemoryKeys });
    if (!redis) return memory;
    const shared = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:rl:${name}`, points, duration, rejectIfRedisNotReady: true });
    // The insurance sits on the timeout wrapper only, so a request is counted in memory once
    // whether Redis refused it at once or answered too late.
    return new RLWrapperTimeouts({ limiter: shared, timeoutMs: redisTimeoutMs, insuranceLimiter: memory });
  };
  return {
    restPerMinute: limit('rest-m', options.restPerMinute, 60),
    restPerHour: limit('rest-h', options.restPerHour, 3600),
    visitorMessages: limit('msg', options.visitorMessagesPerMinute, 60),
    profileUpdates: limit('profile', PROFILE_UPDATES_PER_MINUTE, 60),
    loginPerIp: limit('login-ip', 20, LOGIN_WINDOW_SECONDS),
    loginPerEmail: limit('login-email', 10, LOGIN_WINDOW_SECONDS),
  };
}
