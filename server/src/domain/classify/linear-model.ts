import type { SparseVector } from './tfidf.ts';

/**
 * Per-class linear scores over a sparse vector. Weights are stored feature-major
 * (`weights[feature * classes + class]`) so scoring one message touches one contiguous run
 * per non-zero feature: a message has ~200 of them, which keeps classify in microseconds.
 */
export interface LinearModel {
  classes: number;
  weights: Float64Array;
  bias: Float64Array;
}

export function createLinearModel(features: number, classes: number): LinearModel {
  return { classes, weights: new Float64Array(features * classes), bias: new Float64Array(classes) };
}

export function linearScores(model: LinearModel, x: SparseVector, out = new Float64Array(model.classes)): Float64Array {
  const { classes, weights, bias } = model;
  out.set(bias);
  for (let j = 0; j < x.indices.length; j += 1) {
    const base = x.indices[j]! * classes;
    const value = x.values[j]!;
    for (let k = 0; k < classes; k += 1) out[k]! += weights[base + k]! * value;
  }
  return out;
}

/** Softmax with a temperature: the one knob that turns raw scores into calibrated probabilities. */
export function softmax(scores: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const score of scores) max = Math.max(max, score);
  const out = new Float64Array(scores.length);
  let sum = 0;
  for (let k = 0; k < scores.length; k += 1) {
    out[k] = Math.exp((scores[k]! - max) / temperature);
    sum += out[k]!;
  }
  for (let k = 0; k < out.length; k += 1) out[k]! /= sum;
  return out;
}
