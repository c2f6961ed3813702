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
/** A count per key inside a window that never refuses: `consume` adds one, `get` reads (null: none). */
export type Counter = Pick<RateLimiterAbstract, 'consume' | 'get'>;

export interface RateLimits {
  /** REST requests per client IP. */
  restPerMinute: Limit;
  restPerHour: Limit;
  /** Widget messages per visitor, and per client IP (a client rotating visitor ids still counts once). */
  visitorMessages: Limit;
  ipMessages: Limit;
  /** Widget handshakes per client IP: each one reads the database. */
  handshakes: Limit;
  /** `typing` events per socket: each is a broadcast to operators. */
  typing: Limit;
  /** Profile updates (`setVisitor`) per visitor: each is a write and a push to operators. */
  profileUpdates: Limit;
  /** Operator login attempts per client IP (password guessing from one address). */
  loginPerIp: Limit;
  /** Failed logins per email: they slow later attempts on the account down, never refuse them. */
  loginFailures: Counter;
  /** `email|ip` pairs that logged in: the operator's usual addresses, never slowed down. */
  loginKnownIps: Counter;
  /** Paid LLM classifications per site per hour; past it the offline classifier answers. */
  llmCalls: Limit;
}

export interface RateLimitOptions {
  /** Shared limits through this client; null keeps them in process memory. */
  redis: Redis | null;
  /** Prefix of the Redis keys (REDIS_PREFIX or a test namespace). */
  prefix: string;
  restPerMinute: number;
  restPerHour: number;
  visitorMessagesPerMinute: number;
  /** Widget messages per client IP (default 30 a minute). */
  ipMessagesPerMinute?: number;
  /** Keys one in-memory limit holds at most (distinct IPs or visitors inside its window). */
  maxMemoryKeys?: number;
  /** How long a connected Redis may take before the memory limit answers instead. */
  redisTimeoutMs?: number;
  /** LLM_CALLS_PER_SITE_PER_HOUR (default 2,000). */
  llmCallsPerSitePerHour?: number;
}

const PROFILE_UPDATES_PER_MINUTE = 10;
/** Page views, tabs and reconnects of everyone behind one address (an office NAT). */
export const HANDSHAKES_PER_IP_PER_MINUTE = 120;
/** The widget sends typing at its edges only (start, stop): a few a second is already a loop. */
export const TYPING_PER_SOCKET = { points: 30, seconds: 10 };
const LOGIN_WINDOW_SECONDS = 300;
const LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60;
/** The memory limiter forgets a key by a timer, and a timer cannot wait past 2^31 ms (~24.8 days). */
const KNOWN_LOGIN_IP_SECONDS = 20 * 24 * 3600;
/** Points of a counter: never reached. */
const UNBOUNDED = 1_000_000_000;

export function createRateLimits(options: RateLimitOptions): RateLimits {
  const { redis, prefix, maxMemoryKeys = 50_000, redisTimeoutMs = 300 } = options;
  const limit = (name: string, points: number, duration: number): RateLimiterAbstract => {
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
    ipMessages: limit('msg-ip', options.ipMessagesPerMinute ?? 30, 60),
    handshakes: limit('hs-ip', HANDSHAKES_PER_IP_PER_MINUTE, 60),
    typing: limit('typing', TYPING_PER_SOCKET.points, TYPING_PER_SOCKET.seconds),
    profileUpdates: limit('profile', PROFILE_UPDATES_PER_MINUTE, 60),
    loginPerIp: limit('login-ip', 20, LOGIN_WINDOW_SECONDS),
    loginFailures: limit('login-fail', UNBOUNDED, LOGIN_FAILURE_WINDOW_SECONDS),
    loginKnownIps: limit('login-known', UNBOUNDED, KNOWN_LOGIN_IP_SECONDS),
    llmCalls: limit('llm', options.llmCallsPerSitePerHour ?? 2000, 3600),
  };
}
