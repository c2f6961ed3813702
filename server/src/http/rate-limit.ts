/**
 * The REST rate limit: each rule spends a point of its limit for the request's key (the client
 * IP by default — `ctx.ip`, which follows X-Forwarded-For only with TRUST_PROXY). Over any rule
 * → 429 in the JSON error shape with `Retry-After` (seconds until every exceeded limit frees up).
 *
 * @example
 * router.post('/api/messages', rateLimit({ rules: [{ limit: limits.restPerMinute }], message: 'Too many requests, slow down' }), handle);
 */
import type { Context, Next } from 'koa';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Limit } from '../adapters/rate-limit/rate-limits.ts';
import { HttpError } from './errors.ts';

export interface RateLimitRule {
  limit: Limit;
  /** The key this request counts against (default: the client IP); null skips the rule. */
  key?: (ctx: Context) => string | null;
}

export interface RateLimitOptions {
  rules: RateLimitRule[];
  /** What a limited client is told. */
  message: string;
}

const clientIp = (ctx: Context) => ctx.ip;

export function rateLimit({ rules, message }: RateLimitOptions) {
  return async function limitRate(ctx: Context, next: Next): Promise<void> {
    // Every rule is spent, limited or not, so a client over one limit still counts against the others.
    const outcomes = await Promise.allSettled(
      rules.map(({ limit, key = clientIp }) => {
        const k = key(ctx);
        return k === null ? null : limit.consume(k);
      }),
    );
    let waitMs = -1;
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') continue;
      if (!(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
      waitMs = Math.max(waitMs, outcome.reason.msBeforeNext);
    }
    if (waitMs >= 0) {
      ctx.set('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
      throw new HttpError(429, 'rate_limited', message);
    }
    await next();
  };
}
