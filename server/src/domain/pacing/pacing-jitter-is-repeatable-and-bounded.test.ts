import { describe, expect, it } from 'vitest';
import { DEFAULT_PACING_OPTIONS, planReplyTiming, type PacingOptions } from './plan-reply-timing.ts';

const options: PacingOptions = { ...DEFAULT_PACING_OPTIONS };
const reply = { text: 'x'.repeat(80), category: 'BILLING' }; // 3 s + 2 s without jitter
const base = 5000;
const seeds = Array.from({ length: 500 }, (_, i) => `message-${i}`);

describe('pacing jitter', () => {
  it('is the same for the same seed (a restart re-plans nothing differently)', () => {
    for (const seed of seeds.slice(0, 50)) {
      expect(planReplyTiming(reply, seed, options)).toEqual(planReplyTiming(reply, seed, options));
    }
  });

  it('stays within ±jitter of the unjittered delay', () => {
    for (const seed of seeds) {
      const { typingAfterMs, deliverAfterMs } = planReplyTiming(reply, seed, options);
      expect(deliverAfterMs).toBeGreaterThanOrEqual(Math.floor(base * (1 - options.jitter)));
      expect(deliverAfterMs).toBeLessThanOrEqual(Math.ceil(base * (1 + options.jitter)));
      expect(typingAfterMs).toBeGreaterThanOrEqual(Math.floor(3000 * (1 - options.jitter)));
      expect(typingAfterMs).toBeLessThanOrEqual(Math.ceil(3000 * (1 + options.jitter)));
      expect(typingAfterMs).toBeLessThan(deliverAfterMs);
    }
  });

  it('actually varies between seeds, to both sides of the plain delay', () => {
    const delays = seeds.map((seed) => planReplyTiming(reply, seed, options).deliverAfterMs);
    expect(new Set(delays).size).toBeGreaterThan(100);
    // ±10 % of 5 s is ±500 ms; 500 seeds reach well past half of it on both sides.
    expect(Math.min(...delays)).toBeLessThan(base - 250);
    expect(Math.max(...delays)).toBeGreaterThan(base + 250);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(Math.abs(mean - base)).toBeLessThan(0.02 * base); // centred, not biased one way
  });

  it('scales with the configured fraction and vanishes at 0', () => {
    const wide = { ...options, jitter: 0.5 };
    for (const seed of seeds.slice(0, 100)) {
      const d = planReplyTiming(reply, seed, wide).deliverAfterMs;
      expect(d).toBeGreaterThanOrEqual(2500);
      expect(d).toBeLessThanOrEqual(7500);
      expect(planReplyTiming(reply, seed, { ...options, jitter: 0 }).deliverAfterMs).toBe(base);
    }
  });
});
