/**
 * The socket side of rate limiting: a handler awaits its guard before doing any work; over the
 * limit the guard throws a `rate_limited` SocketError, which `handler` answers as an error ack.
 */
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Limit, RateLimits } from '../adapters/rate-limit/rate-limits.ts';
import { SocketError } from './safe-handler.ts';

export type RateLimitGuard = (key: string) => Promise<void>;

/** A guard that lets everything through (RATE_LIMIT_ENABLED=false). */
const unlimited: RateLimitGuard = async () => {};

function rateLimitGuard(limit: Limit, message: string): RateLimitGuard {
  return async (key) => {
    try {
      await limit.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw new SocketError('rate_limited', message);
      throw error;
    }
  };
}

/** The visitor namespace's guards; with RATE_LIMIT_ENABLED=false they let everything through. */
export function visitorGuards(limits: Pick<RateLimits, 'visitorMessages' | 'profileUpdates'>, enabled: boolean) {
  if (!enabled) return { messages: unlimited, profileUpdates: unlimited };
  return {
    messages: rateLimitGuard(limits.visitorMessages, 'Too many messages, please wait a minute'),
    profileUpdates: rateLimitGuard(limits.profileUpdates, 'Too many profile updates, please wait a minute'),
  };
}
