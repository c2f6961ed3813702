import { describe, expect, it } from 'vitest';
import { DEFAULT_PACING_OPTIONS, planReplyTiming, type PacingOptions } from './plan-reply-timing.ts';

const options: PacingOptions = { ...DEFAULT_PACING_OPTIONS, jitter: 0 };
const reply = (length: number) => ({ text: 'x'.repeat(length), category: 'BILLING' });
const plan = (length: number, o: PacingOptions = options) => planReplyTiming(reply(length), 'seed', o);

describe('a reply takes longer the longer it is, up to the typing cap', () => {
  it('waits the response delay plus the time to type the reply at charsPerSecond', () => {
    // 80 chars at 40 chars/s = 2 s of typing after 3 s of "reading".
    expect(plan(80)).toEqual({ typingAfterMs: 3000, deliverAfterMs: 5000 });
    expect(plan(1)).toEqual({ typingAfterMs: 3000, deliverAfterMs: 3025 });
  });

  it('grows strictly with length below the cap', () => {
    const delays = [1, 10, 40, 100, 159].map((n) => plan(n).deliverAfterMs);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]!);
  });

  it('stops growing at maxTypingMs', () => {
    // 160 chars at 40 chars/s is exactly the 4 s cap; anything longer types no longer.
    expect(plan(160).deliverAfterMs).toBe(3000 + 4000);
    expect(plan(161).deliverAfterMs).toBe(3000 + 4000);
    expect(plan(4000).deliverAfterMs).toBe(3000 + 4000);
  });

  it('follows the configured speed and cap', () => {
    const fast = { ...options, charsPerSecond: 100, maxTypingMs: 1000 };
    expect(plan(50, fast).deliverAfterMs).toBe(3500);
    expect(plan(500, fast).deliverAfterMs).toBe(4000);
  });

  it('starts typing before delivery, for exactly the typing time', () => {
    for (const length of [1, 7, 40, 120, 160, 1000]) {
      const { typingAfterMs, deliverAfterMs } = plan(length);
      const typingMs = Math.min((length / options.charsPerSecond) * 1000, options.maxTypingMs);
      expect(typingAfterMs).toBeLessThan(deliverAfterMs);
      expect(deliverAfterMs - typingAfterMs).toBeCloseTo(typingMs, 0);
      expect(typingAfterMs).toBe(options.responseDelayMs); // typing starts after "reading", whatever the length
    }
  });

  it('is a pure function of its inputs: the same call gives the same plan', () => {
    expect(plan(123)).toEqual(plan(123));
  });
});
