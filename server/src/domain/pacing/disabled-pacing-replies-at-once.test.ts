import { describe, expect, it } from 'vitest';
import { DEFAULT_PACING_OPTIONS, planReplyTiming, type PacingOptions } from './plan-reply-timing.ts';

const options: PacingOptions = { ...DEFAULT_PACING_OPTIONS, enabled: false, deliveryDelayMs: 2000, jitter: 0.5 };

describe('DELAYS_ENABLED=false delivers at once', () => {
  it.each([
    ['a short reply', 'ok', 'THANKS'],
    ['a long reply', 'x'.repeat(4000), 'TECH_SUPPORT_BASIC'],
    ['a goodbye', 'Всего доброго!', 'FAREWELL'],
  ])('plans 0 / 0 for %s, ignoring delays, the delivery delay and jitter', (_, text, category) => {
    for (const seed of ['a', 'b', 'c']) {
      expect(planReplyTiming({ text, category }, seed, options)).toEqual({ typingAfterMs: 0, deliverAfterMs: 0 });
    }
  });
});
