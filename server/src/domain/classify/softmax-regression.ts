import { createLinearModel, linearScores, softmax, type LinearModel } from './linear-model.ts';
import { seededRandom, shuffled } from './seeded-random.ts';
import type { SparseVector } from './tfidf.ts';

export interface SoftmaxRegressionOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty, applied to the weights an example touches (the usual sparse approximation). */
  l2: number;
  seed: number;
}

export const DEFAULT_SOFTMAX_REGRESSION_OPTIONS: SoftmaxRegressionOptions = {
  epochs: 30,
  learningRate: 0.5,
  l2: 1e-4,
  seed: 7,
};

/**
 * Multinomial logistic regression trained by SGD with AdaGrad step sizes (rare n-grams keep
 * large steps, frequent ones settle). Deterministic for a given seed.
 */
export function trainSoftmaxRegression(
  vectors: readonly SparseVector[],
  labels: readonly number[],
  features: number,
  classes: number,
  options: SoftmaxRegressionOptions = DEFAULT_SOFTMAX_REGRESSION_OPTIONS,
): LinearModel {
  const model = createLinearModel(features, classes);
  const squaredGradients = new Float64Array(features * classes).fill(1e-8);
  const biasSquaredGradients = new Float64Array(classes).fill(1e-8);
  const random = seededRandom(options.seed);
  const order = Array.from({ length: vectors.length }, (_, i) => i);
  const scores = new Float64Array(classes);
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (const i of shuffled(order, random)) {
      const x = vectors[i]!;
      const probabilities = softmax(linearScores(model, x, scores));
      for (let k = 0; k < classes; k += 1) {
        const error = probabilities[k]! - (labels[i] === k ? 1 : 0);
        biasSquaredGradients[k]! += error * error;
        model.bias[k]! -= (options.learningRate * error) / Math.sqrt(biasSquaredGradients[k]!);
        for (let j = 0; j < x.indices.length; j += 1) {
          const at = x.indices[j]! * classes + k;
          const gradient = error * x.values[j]! + options.l2 * model.weights[at]!;
          squaredGradients[at]! += gradient * gradient;
          model.weights[at]! -= (options.learningRate * gradient) / Math.sqrt(squaredGradients[at]!);
        }
      }
    }
  }
  return model;
}
