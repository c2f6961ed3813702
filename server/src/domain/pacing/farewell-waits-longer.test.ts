import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '@support-chat/protocol';
import { DEFAULT_PACING_OPTIONS, planReplyTiming, type PacingOptions } from './plan-reply-timing.ts';

const options: PacingOptions = { ...DEFAULT_PACING_OPTIONS, jitter: 0 };
const text = 'Всего доброго! Обращайтесь, если что-то понадобится.'; // 52 chars → 1.3 s of typing

describe('a goodbye waits FAREWELL_DELAY instead of RESPONSE_DELAY', () => {
  it('uses farewellDelayMs as the thinking time of a FAREWELL reply', () => {
    expect(planReplyTiming({ text, category: 'FAREWELL' }, 'm-1', options)).toEqual({ typingAfterMs: 10_000, deliverAfterMs: 11_300 });
  });

  it('uses responseDelayMs for every other category', () => {
    for (const category of CATEGORIES.filter((c) => c !== 'FAREWELL')) {
      expect(planReplyTiming({ text, category }, 'm-1', options)).toEqual({ typingAfterMs: 3000, deliverAfterMs: 4300 });
    }
  });

  it('types a goodbye as fast as any other reply', () => {
    const farewell = planReplyTiming({ text, category: 'FAREWELL' }, 'm-1', options);
    const other = planReplyTiming({ text, category: 'THANKS' }, 'm-1', options);
    expect(farewell.deliverAfterMs - farewell.typingAfterMs).toBe(other.deliverAfterMs - other.typingAfterMs);
  });

  it('follows the configured farewell delay, even when it is shorter than the usual one', () => {
    const plan = planReplyTiming({ text, category: 'FAREWELL' }, 'm-1', { ...options, farewellDelayMs: 500 });
    expect(plan).toEqual({ typingAfterMs: 500, deliverAfterMs: 1800 });
  });
});
