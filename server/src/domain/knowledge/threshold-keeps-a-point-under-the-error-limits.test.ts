import { describe, expect, it } from 'vitest';
import { chooseThreshold, ERROR_LIMIT, SAFETY_MARGIN, type ScoredQuestion } from './calibration.ts';

describe('the answer threshold', () => {
  // 200 answerable questions: 9 answered wrongly at 0.5 (4.5%), the rest rightly at 0.9.
  const scored: ScoredQuestion[] = [
    ...Array.from({ length: 9 }, () => ({ score: 0.5, right: false, answerable: true })),
    ...Array.from({ length: 191 }, () => ({ score: 0.9, right: true, answerable: true })),
    ...Array.from({ length: 20 }, () => ({ score: 0.1, right: false, answerable: false })),
  ];

  it('keeps one point under the 5% limits: 4.5% wrong answers are not accepted', () => {
    expect(ERROR_LIMIT - SAFETY_MARGIN).toBeCloseTo(0.04);
    const choice = chooseThreshold(scored);
    expect(choice.threshold).toBe(0.9);
    expect(choice.wrongRate).toBe(0);
  });

  it('would accept them at the bare limits', () => {
    expect(chooseThreshold(scored, ERROR_LIMIT, ERROR_LIMIT).threshold).toBe(0.5);
  });
});
