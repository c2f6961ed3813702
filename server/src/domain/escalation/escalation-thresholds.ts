/**
 * The confidence a category must reach before a rule hands the conversation to people on it.
 * A complaint or a request for a human escalates at once, so a guess there costs an operator's
 * time and startles the visitor; below its threshold such a message is "not understood" instead
 * (unless an explicit signal says it outright, see explicit-signals.ts).
 *
 * The numbers are not guessed: `chooseEscalationThresholds` picks, on out-of-fold predictions of
 * 5-fold cross-validation over the training data (three fold seeds pooled, so one lucky split
 * does not move it), the lowest confidence on a 0.05 grid from which on the category's
 * predictions are right at least TARGET_ESCALATION_PRECISION of the time. `pnpm bench judgement`
 * prints what it chooses today, and a test keeps these in step with it: new training data means
 * choosing them again.
 */
import type { Category } from '@support-chat/protocol';
import { crossValidateDistributions, type ScoredExample } from '../classify/evaluation.ts';
import type { LabelledExample, LocalClassifier } from '../classify/local-model.ts';

export type EscalatingCategory = 'COMPLAINT' | 'HUMAN_REQUEST';
export const ESCALATING_CATEGORIES: readonly EscalatingCategory[] = ['COMPLAINT', 'HUMAN_REQUEST'];

export const ESCALATION_THRESHOLDS: Readonly<Record<EscalatingCategory, number>> = {
  COMPLAINT: 0.75,
  HUMAN_REQUEST: 0.6,
};

export const TARGET_ESCALATION_PRECISION = 0.97;

/** The grid searched: below 0.3 a guess is UNKNOWN anyway, above 0.95 little would be left. */
const GRID = { from: 0.3, to: 0.95, step: 0.05 };
export const THRESHOLD_FOLDS = 5;
export const THRESHOLD_SEEDS: readonly number[] = [42, 7, 1];

export interface ChosenThreshold {
  threshold: number;
  /** Out-of-fold precision and recall of "category at or above the threshold". */
  precision: number;
  recall: number;
}

export function chooseEscalationThresholds(
  examples: readonly LabelledExample[],
  train: (examples: LabelledExample[]) => LocalClassifier,
  folds = THRESHOLD_FOLDS,
  seeds: readonly number[] = THRESHOLD_SEEDS,
): Record<EscalatingCategory, ChosenThreshold> {
  const scored = seeds.flatMap((seed) => crossValidateDistributions(examples, train, folds, seed));
  return {
    COMPLAINT: thresholdFor(scored, 'COMPLAINT'),
    HUMAN_REQUEST: thresholdFor(scored, 'HUMAN_REQUEST'),
  };
}

/**
 * The lowest grid point from which on every higher one keeps precision at the target: a
 * threshold whose precision only holds by luck at one point would not hold on new messages.
 */
export function thresholdFor(scored: readonly ScoredExample[], category: Category, target = TARGET_ESCALATION_PRECISION): ChosenThreshold {
  const support = scored.filter((s) => s.expected === category).length;
  const points: ChosenThreshold[] = [];
  for (let step = 0; GRID.from + step * GRID.step <= GRID.to + 1e-9; step += 1) {
    const threshold = Math.round((GRID.from + step * GRID.step) * 100) / 100;
    let predicted = 0;
    let right = 0;
    for (const { expected, distribution } of scored) {
      if (!isTop(distribution, category) || distribution[category] < threshold) continue;
      predicted += 1;
      if (expected === category) right += 1;
    }
    points.push({ threshold, precision: predicted === 0 ? 1 : right / predicted, recall: support === 0 ? 0 : right / support });
  }
  let chosen = points.at(-1)!;
  for (let i = points.length - 1; i >= 0 && points[i]!.precision >= target; i -= 1) chosen = points[i]!;
  return chosen;
}

function isTop(distribution: Record<Category, number>, category: Category): boolean {
  const p = distribution[category];
  return Object.values(distribution).every((q) => q <= p);
}
