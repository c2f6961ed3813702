import type { FeatureCounts } from './features.ts';

/** A message as a sparse, L2-normalized TF-IDF vector: parallel arrays sorted by index. */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

export interface TfidfSpace {
  /** Known feature ids, sorted; a feature's dense index is its position here. */
  ids: Int32Array;
  idf: Float64Array;
}

/**
 * Learns the vocabulary and inverse document frequencies from training messages. Features seen
 * in fewer than `minDf` messages are dropped: a one-off n-gram is memorisation, not evidence.
 */
export function fitTfidf(messages: readonly FeatureCounts[], minDf = 1): TfidfSpace {
  let total = 0;
  for (const message of messages) total += message.ids.length;
  // Every message lists a feature at most once, so after sorting, run length = document frequency.
  const all = new Int32Array(total);
  let at = 0;
  for (const message of messages) {
    all.set(message.ids, at);
    at += message.ids.length;
  }
  all.sort();
  const ids: number[] = [];
  const idf: number[] = [];
  for (let start = 0; start < all.length; ) {
    let end = start;
    while (end < all.length && all[end] === all[start]) end += 1;
    const df = end - start;
    if (df >= minDf) {
      ids.push(all[start]!);
      idf.push(Math.log((1 + messages.length) / (1 + df)) + 1);
    }
    start = end;
  }
  return { ids: Int32Array.from(ids), idf: Float64Array.from(idf) };
}

/** Feature weight × IDF, L2-normalized; features outside the vocabulary are ignored. */
export function vectorize(space: TfidfSpace, message: FeatureCounts): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  let norm = 0;
  // Both id lists are sorted: one forward walk with a galloping binary search.
  let low = 0;
  for (let i = 0; i < message.ids.length; i += 1) {
    const id = message.ids[i]!;
    let high = space.ids.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const value = space.ids[mid]!;
      if (value < id) low = mid + 1;
      else if (value > id) high = mid - 1;
      else {
        const weight = message.weights[i]! * space.idf[mid]!;
        indices.push(mid);
        values.push(weight);
        norm += weight * weight;
        low = mid + 1;
        break;
      }
    }
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const vector = { indices: Int32Array.from(indices), values: Float64Array.from(values) };
  for (let i = 0; i < vector.values.length; i += 1) vector.values[i]! *= scale;
  return vector;
}
