/**
 * Human-like pacing: when the typing indicator starts and when a bot reply is delivered,
 * relative to the moment the visitor's message arrived. Pure: the caller adds `now`.
 */
import type { Category } from '@support-chat/protocol';
import { stableFraction } from '../stable-hash.ts';

export interface PacingOptions {
  enabled: boolean;
  /** RESPONSE_DELAY_SECONDS: "reading and thinking" before typing starts. */
  responseDelayMs: number;
  /** FAREWELL_DELAY_SECONDS: goodbyes wait longer, so a visitor can still add something. */
  farewellDelayMs: number;
  /** MESSAGE_DELIVERY_DELAY_SECONDS: a fixed extra added to every reply. */
  deliveryDelayMs: number;
  /** Typing speed: the typing phase grows with the reply's length … */
  charsPerSecond: number;
  /** … up to this cap, so long answers don't keep a visitor waiting. */
  maxTypingMs: number;
  /** ± fraction applied to the whole delay, so replies don't feel mechanical. */
  jitter: number;
}

/** The seeds' defaults (RESPONSE_DELAY_SECONDS=3.0, FAREWELL_DELAY_SECONDS=10) and the README's. */
export const DEFAULT_PACING_OPTIONS: Readonly<PacingOptions> = {
  enabled: true,
  responseDelayMs: 3000,
  farewellDelayMs: 10_000,
  deliveryDelayMs: 0,
  charsPerSecond: 40,
  maxTypingMs: 4000,
  jitter: 0.1,
};

export interface ReplyTiming {
  /** When the typing indicator starts (ms after the visitor's message). */
  typingAfterMs: number;
  /** When the reply is delivered and the indicator stops (ms after the visitor's message). */
  deliverAfterMs: number;
}

export function planReplyTiming(
  reply: { text: string; category: Category | string },
  /** Anything stable per reply (e.g. the visitor message id): same seed, same jitter. */
  seed: string,
  options: PacingOptions,
): ReplyTiming {
  if (!options.enabled) return { typingAfterMs: 0, deliverAfterMs: 0 };

  const typingMs = Math.min((reply.text.length / options.charsPerSecond) * 1000, options.maxTypingMs);
  const thinkingMs = reply.category === 'FAREWELL' ? options.farewellDelayMs : options.responseDelayMs;
  const wobble = 1 + (stableFraction(seed) * 2 - 1) * options.jitter;

  const deliverAfterMs = Math.round((thinkingMs + typingMs) * wobble + options.deliveryDelayMs);
  const typingAfterMs = Math.max(0, Math.round(deliverAfterMs - typingMs * wobble - options.deliveryDelayMs));
  return { typingAfterMs, deliverAfterMs };
}
