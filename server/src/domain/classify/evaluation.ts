import { CATEGORIES, type Category } from '@support-chat/protocol';
import type { LabelledExample, LocalClassifier } from './local-model.ts';
import { seededRandom, shuffled } from './seeded-random.ts';
import { applyUnknownThreshold } from './unknown-threshold.ts';

/**
 * Model evaluation shared by the benchmark and the accuracy tests: stratified folds, accuracy,
 * macro-F1 (every intent counts the same, so a rare one cannot hide behind a common one) and
 * the confusion matrix.
 */

export interface Prediction {
  expected: Category;
  predicted: Category;
  confidence: number;
}

export interface EvaluationReport {
  accuracy: number;
  macroF1: number;
  perCategory: Record<Category, { precision: number; recall: number; f1: number; support: number }>;
  /** confusion[expected][predicted] = count */
  confusion: Record<Category, Record<Category, number>>;
}

/** Splits examples into k folds with each category spread evenly; same seed, same folds. */
export function stratifiedFolds<T extends { label: Category }>(examples: readonly T[], k: number, seed: number): T[][] {
  const folds: T[][] = Array.from({ length: k }, () => []);
  const random = seededRandom(seed);
  let next = 0;
  for (const category of CATEGORIES) {
    for (const example of shuffled(
      examples.filter((e) => e.label === category),
      random,
    )) {
      folds[next % k]!.push(example);
      next += 1;
    }
  }
  return folds;
}

export function predictAll(classifier: LocalClassifier, examples: readonly LabelledExample[]): Prediction[] {
  return examples.map((example) => {
    const { category, confidence } = classifier.classify(example.text);
    return { expected: example.label, predicted: category, confidence };
  });
}

/** Out-of-fold predictions: every example is predicted by a model that never saw it. */
export function crossValidate(
  examples: readonly LabelledExample[],
  train: (examples: LabelledExample[]) => LocalClassifier,
  k = 5,
  seed = 42,
): Prediction[] {
  const folds = stratifiedFolds(examples, k, seed);
  return folds.flatMap((held, i) => predictAll(train(folds.filter((_, j) => j !== i).flat()), held));
}

export function evaluate(predictions: readonly Prediction[]): EvaluationReport {
  const confusion = Object.fromEntries(
    CATEGORIES.map((expected) => [expected, Object.fromEntries(CATEGORIES.map((predicted) => [predicted, 0]))]),
  ) as Record<Category, Record<Category, number>>;
  let correct = 0;
  for (const { expected, predicted } of predictions) {
    confusion[expected][predicted] += 1;
    if (expected === predicted) correct += 1;
  }
  const perCategory = {} as EvaluationReport['perCategory'];
  const f1s: number[] = [];
  for (const category of CATEGORIES) {
    const truePositives = confusion[category][category];
    const support = CATEGORIES.reduce((sum, predicted) => sum + confusion[category][predicted], 0);
    const predictedCount = CATEGORIES.reduce((sum, expected) => sum + confusion[expected][category], 0);
    const precision = predictedCount === 0 ? 0 : truePositives / predictedCount;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perCategory[category] = { precision, recall, f1, support };
    if (support > 0) f1s.push(f1);
  }
  return {
    accuracy: predictions.length === 0 ? 0 : correct / predictions.length,
    macroF1: f1s.length === 0 ? 0 : f1s.reduce((a, b) => a + b, 0) / f1s.length,
    perCategory,
    confusion,
  };
}

/** An out-of-fold probability distribution (temperature 1) and the true category. */
export interface ScoredExample {
  expected: Category;
  distribution: Record<Category, number>;
}

/** Out-of-fold distributions at temperature 1, for fitting temperature and threshold. */
export function crossValidateDistributions(
  examples: readonly LabelledExample[],
  train: (examples: LabelledExample[]) => LocalClassifier,
  k = 5,
  seed = 42,
): ScoredExample[] {
  const folds = stratifiedFolds(examples, k, seed);
  return folds.flatMap((held, i) => {
    const classifier = train(folds.filter((_, j) => j !== i).flat());
    return held.map((example) => ({ expected: example.label, distribution: classifier.distribution(example.text) }));
  });
}

/** Re-tempers a temperature-1 distribution: softmax(log p / T) equals softmax(scores / T). */
export function temper(distribution: Record<Category, number>, temperature: number): Record<Category, number> {
  const logits = CATEGORIES.map((category) => Math.log(Math.max(distribution[category], 1e-300)) / temperature);
  const max = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return Object.fromEntries(CATEGORIES.map((category, k) => [category, exps[k]! / sum])) as Record<Category, number>;
}

/** The classifier's answer for a distribution: best category, then the UNKNOWN threshold. */
export function decide(distribution: Record<Category, number>, unknownThreshold: number): { predicted: Category; confidence: number } {
  let best: Category = CATEGORIES[0];
  for (const category of CATEGORIES) if (distribution[category] > distribution[best]) best = category;
  const { category, confidence } = applyUnknownThreshold(best, distribution[best], unknownThreshold);
  return { predicted: category, confidence };
}

/** Temperature with the lowest negative log-likelihood on out-of-fold distributions (grid search). */
export function fitTemperature(scored: readonly ScoredExample[]): number {
  let best = { temperature: 1, nll: Infinity };
  for (let temperature = 0.05; temperature <= 3.001; temperature += 0.05) {
    let nll = 0;
    for (const { expected, distribution } of scored) nll -= Math.log(Math.max(temper(distribution, temperature)[expected], 1e-12));
    if (nll < best.nll) best = { temperature: Math.round(temperature * 100) / 100, nll };
  }
  return best.temperature;
}

/** UNKNOWN threshold with the best out-of-fold accuracy at a given temperature (grid search, lowest wins ties). */
export function chooseUnknownThreshold(scored: readonly ScoredExample[], temperature: number): number {
  const tempered = scored.map(({ expected, distribution }) => ({ expected, distribution: temper(distribution, temperature) }));
  let best = { threshold: 0, correct: -1 };
  for (let threshold = 0; threshold <= 0.9001; threshold += 0.01) {
    let correct = 0;
    for (const { expected, distribution } of tempered) if (decide(distribution, threshold).predicted === expected) correct += 1;
    if (correct > best.correct) best = { threshold: Math.round(threshold * 100) / 100, correct };
  }
  return best.threshold;
}

/**
 * Expected calibration error over 10 confidence bins: how far stated confidence is from the
 * observed accuracy, weighted by how many predictions fall in each bin.
 */
export function expectedCalibrationError(predictions: readonly Prediction[]): number {
  const bins = Array.from({ length: 10 }, () => ({ count: 0, confidence: 0, correct: 0 }));
  for (const { expected, predicted, confidence } of predictions) {
    const bin = bins[Math.min(9, Math.floor(confidence * 10))]!;
    bin.count += 1;
    bin.confidence += confidence;
    if (expected === predicted) bin.correct += 1;
  }
  const total = predictions.length || 1;
  return bins.reduce((sum, bin) => sum + (bin.count === 0 ? 0 : Math.abs(bin.confidence - bin.correct) / total), 0);
}
