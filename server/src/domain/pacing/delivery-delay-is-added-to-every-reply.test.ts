import { describe, expect, it } from 'vitest';
import { DEFAULT_PACING_OPTIONS, planReplyTiming, type PacingOptions } from './plan-reply-timing.ts';

const options: PacingOptions = { ...DEFAULT_PACING_OPTIONS, jitter: 0 };
const withDelay = { ...options, deliveryDelayMs: 1500 };

describe('MESSAGE_DELIVERY_DELAY is added to every reply', () => {
  it.each([
    ['a short reply', 'ok', 'THANKS'],
    ['a reply at the typing cap', 'x'.repeat(500), 'TECH_SUPPORT_BASIC'],
    ['a goodbye', 'Всего доброго!', 'FAREWELL'],
  ])('delivers %s exactly deliveryDelayMs later', (_, text, category) => {
    const plain = planReplyTiming({ text, category }, 'seed', options);
    const delayed = planReplyTiming({ text, category }, 'seed', withDelay);
    expect(delayed.deliverAfterMs - plain.deliverAfterMs).toBe(1500);
    expect(delayed.typingAfterMs).toBeLessThan(delayed.deliverAfterMs);
  });

  it('is added after jitter, not scaled by it', () => {
    for (const seed of ['a', 'b', 'c', 'd', 'e']) {
      const plain = planReplyTiming({ text: 'hello', category: 'GREETING' }, seed, { ...options, jitter: 0.3 });
      const delayed = planReplyTiming({ text: 'hello', category: 'GREETING' }, seed, { ...withDelay, jitter: 0.3 });
      expect(delayed.deliverAfterMs - plain.deliverAfterMs).toBe(1500);
    }
  });

  it('alone is the whole wait when every other delay is 0', () => {
    const only = { ...options, responseDelayMs: 0, farewellDelayMs: 0, maxTypingMs: 0, deliveryDelayMs: 700 };
    expect(planReplyTiming({ text: 'hello', category: 'GREETING' }, 'seed', only).deliverAfterMs).toBe(700);
  });
});
