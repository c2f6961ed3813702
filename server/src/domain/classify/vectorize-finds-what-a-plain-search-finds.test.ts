import { describe, expect, it } from 'vitest';
import { loadIntentExamples, SHARED_DEV_FILE } from '../../adapters/intents-dataset.ts';
import { extractFeatures } from './features.ts';
import { normalize } from './normalize.ts';
import { fitTfidf, vectorize, type SparseVector, type TfidfSpace } from './tfidf.ts';

// The plain computation vectorize's hash lookup replaced: each feature found by a linear search.
function plainVectorize(space: TfidfSpace, bag: ReturnType<typeof extractFeatures>): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  let norm = 0;
  bag.ids.forEach((id, i) => {
    const at = space.ids.indexOf(id);
    if (at < 0) return;
    const weight = bag.weights[i]! * space.idf[at]!;
    indices.push(at);
    values.push(weight);
    norm += weight * weight;
  });
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return { indices: Int32Array.from(indices), values: Float64Array.from(values, (value) => value * scale) };
}

describe('vectorize', () => {
  const bagsOf = (texts: readonly string[]) => texts.map((text) => extractFeatures(normalize(text)));
  const space = fitTfidf(bagsOf(loadIntentExamples({ exclude: [SHARED_DEV_FILE] }).map((e) => e.text)));
  // Held-out messages: known features and unknown ones, as in production.
  const dev = loadIntentExamples({ only: [SHARED_DEV_FILE] }).map((e) => e.text);

  it('gives every dev-set message the very vector a plain search gives', () => {
    for (const [i, bag] of bagsOf(dev).entries()) {
      const fast = vectorize(space, bag);
      const plain = plainVectorize(space, bag);
      expect([...fast.indices], dev[i]).toEqual([...plain.indices]);
      expect([...fast.values], dev[i]).toEqual([...plain.values]);
    }
  });

  it('ignores features outside the vocabulary', () => {
    const vector = vectorize(space, { ids: Int32Array.of(-1, -2), weights: Float64Array.of(1, 1) });
    expect(vector.indices).toHaveLength(0);
  });
});
