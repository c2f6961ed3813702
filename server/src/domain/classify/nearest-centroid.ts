import { createLinearModel, type LinearModel } from './linear-model.ts';
import type { SparseVector } from './tfidf.ts';

/**
 * Rocchio / nearest centroid: each class is the normalized mean of its vectors and a message
 * scores the cosine to each. Kept as the baseline the benchmark compares the SVM against.
 */
export function trainNearestCentroid(
  vectors: readonly SparseVector[],
  labels: readonly number[],
  features: number,
  classes: number,
): LinearModel {
  const model = createLinearModel(features, classes);
  vectors.forEach((x, i) => {
    const k = labels[i]!;
    for (let j = 0; j < x.indices.length; j += 1) model.weights[x.indices[j]! * classes + k]! += x.values[j]!;
  });
  for (let k = 0; k < classes; k += 1) {
    let norm = 0;
    for (let f = 0; f < features; f += 1) norm += model.weights[f * classes + k]! ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let f = 0; f < features; f += 1) model.weights[f * classes + k]! *= scale;
  }
  return model;
}
