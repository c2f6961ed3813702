import { describe, expect, it } from 'vitest';
import { chooseVariant, parseTemplateKey, templateKey } from './choose-variant.ts';

const SEEDS = Array.from({ length: 200 }, (_, i) => i / 200);

describe('chooseVariant', () => {
  it('never repeats the previous index', () => {
    for (const count of [2, 3, 5])
      for (const seed of SEEDS)
        for (let previous = 0; previous < count; previous++) {
          const index = chooseVariant(count, seed, previous);
          expect(index).not.toBe(previous);
          expect(index).toBeGreaterThanOrEqual(0);
          expect(index).toBeLessThan(count);
        }
  });

  it('is a stable function of the seed', () => {
    for (const seed of SEEDS) expect(chooseVariant(3, seed, null)).toBe(chooseVariant(3, seed, null));
    expect(chooseVariant(3, 0, null)).toBe(0);
    expect(chooseVariant(3, 0.5, null)).toBe(1);
    expect(chooseVariant(3, 0.99, null)).toBe(2);
  });

  it('spreads over every variant', () => {
    expect(new Set(SEEDS.map((s) => chooseVariant(4, s, null)))).toEqual(new Set([0, 1, 2, 3]));
  });

  it('with one variant (or none) there is no choice', () => {
    expect(chooseVariant(1, 0.7, 0)).toBe(0);
    expect(chooseVariant(0, 0.7, null)).toBe(0);
  });

  it('a previous index out of range (a template was shortened) is ignored', () => {
    expect(chooseVariant(2, 0.1, 5)).toBe(0);
  });
});

describe('template keys', () => {
  it('round-trip', () => {
    expect(parseTemplateKey(templateKey('GREETING', 'ru', 2))).toEqual({ category: 'GREETING', locale: 'ru', index: 2 });
  });

  it.each([null, undefined, '', 'GREETING', 'GREETING:ru', 'GREETING:ru:x', 'GREETING:ru:1.5'])('%s is not a key', (key) => {
    expect(parseTemplateKey(key)).toBeNull();
  });
});
