/**
 * The socket side of rate limiting: a handler awaits its guard before doing any work; over the
 * limit the guard throws a `rate_limited` SocketError that says when to try again, which `handler`
 * answers as an error ack (and the handshake as a refusal).
 */
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Limit, RateLimits } from '../adapters/rate-limit/rate-limits.ts';
import { SocketError } from './safe-handler.ts';

/** Spends one point per key, the i-th key on the guard's i-th limit. */
export type RateLimitGuard = (...keys: string[]) => Promise<void>;

/** A guard that lets everything through (RATE_LIMIT_ENABLED=false). */
const unlimited: RateLimitGuard = async () => {};

function rateLimitGuard(limits: Limit[], message: string): RateLimitGuard {
  return async (...keys) => {
    // Every limit is spent, refused or not, so a client over one still counts against the others.
    const outcomes = await Promise.allSettled(limits.map((limit, i) => limit.consume(keys[i]!)));
    let waitMs = -1;
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') continue;
      if (!(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
      waitMs = Math.max(waitMs, outcome.reason.msBeforeNext);
    }
    if (waitMs < 0) return;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new SocketError('rate_limited', `${message}: try again in ${seconds} s`, seconds);
  };
}

export interface VisitorGuards {
  /** (visitor key, client IP). */
  messages: RateLimitGuard;
  /** (visitor key). */
  profileUpdates: RateLimitGuard;
  /** (client IP). */
  handshakes: RateLimitGuard;
  /** (socket id). */
  typing: RateLimitGuard;
}

/** The visitor namespace's guards; with RATE_LIMIT_ENABLED=false they let everything through. */
export function visitorGuards(limits: Pick<RateLimits, 'visitorMessages' | 'ipMessages' | 'profileUpdates' | 'handshakes' | 'typing'>, enabled: boolean): VisitorGuards {
  if (!enabled) return { messages: unlimited, profileUpdates: unlimited, handshakes: unlimited, typing: unlimited };
  return {
    messages: rateLimitGuard([limits.visitorMessages, limits.ipMessages], 'Too many messages'),
    profileUpdates: rateLimitGuard([limits.profileUpdates], 'Too many profile updates'),
    handshakes: rateLimitGuard([limits.handshakes], 'Too many connections from this address'),
    typing: rateLimitGuard([limits.typing], 'Too many typing events'),
  };
}
