import { CATEGORIES, type Category } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { loadIntentExamples } from '../../adapters/intents-dataset.ts';
import type { ScoredExample } from '../classify/evaluation.ts';
import { trainLocalClassifier } from '../classify/index.ts';
import { ESCALATION_THRESHOLDS, chooseEscalationThresholds, thresholdFor } from './escalation-thresholds.ts';

/** A COMPLAINT prediction at `p`, right or wrong. */
function scored(p: number, expected: Category): ScoredExample {
  const rest = (1 - p) / (CATEGORIES.length - 1);
  const distribution = Object.fromEntries(CATEGORIES.map((c) => [c, c === 'COMPLAINT' ? p : rest])) as Record<Category, number>;
  return { expected, distribution };
}

describe('thresholdFor', () => {
  it('is the lowest confidence from which on predictions stay precise enough', () => {
    const examples = [
      ...Array.from({ length: 20 }, () => scored(0.9, 'COMPLAINT')),
      ...Array.from({ length: 10 }, () => scored(0.62, 'COMPLAINT')),
      scored(0.58, 'BILLING'),
      scored(0.41, 'BILLING'),
    ];
    const chosen = thresholdFor(examples, 'COMPLAINT', 0.97);
    expect(chosen.threshold).toBe(0.6);
    expect(chosen.precision).toBe(1);
    expect(chosen.recall).toBe(1);
  });

  it('does not stop at a lucky point below a stretch that misses the target', () => {
    const examples = [
      ...Array.from({ length: 30 }, () => scored(0.95, 'COMPLAINT')),
      scored(0.8, 'BILLING'), // precision at 0.75..0.8 drops below 0.97
      ...Array.from({ length: 40 }, () => scored(0.52, 'COMPLAINT')),
    ];
    expect(thresholdFor(examples, 'COMPLAINT', 0.97).threshold).toBe(0.85);
  });
});

// Like the trained model file, the shipped thresholds must be what their procedure gives on
// today's training data: new examples mean choosing them again (pnpm bench judgement prints it).
it('the shipped thresholds are the ones cross-validation chooses on the training data', { timeout: 180_000 }, () => {
  const chosen = chooseEscalationThresholds(loadIntentExamples(), (train) => trainLocalClassifier(train));
  expect({ COMPLAINT: chosen.COMPLAINT.threshold, HUMAN_REQUEST: chosen.HUMAN_REQUEST.threshold }).toEqual(ESCALATION_THRESHOLDS);
});
