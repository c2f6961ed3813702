import { SHORTCODE } from './emoji.ts';
import { SIGNAL_NAMES, messageSignals } from './signals.ts';
import { transliterateToCyrillic } from './transliterate.ts';

export interface FeatureOptions {
  /** Shortest character n-gram (inside " word " with boundary spaces). */
  charNgramMin: number;
  /** Longest character n-gram. */
  charNgramMax: number;
  /** Adjacent word pairs: "не работает" differs from "работает". */
  wordBigrams: boolean;
  /**
   * Multipliers per kind of feature. A message has dozens of n-grams per word, so whole words
   * and message-level signals (an injection attempt, an emoji) would drown without a boost.
   */
  weights: { char: number; word: number; bigram: number; marker: number; signal: number };
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  charNgramMin: 3,
  charNgramMax: 5,
  wordBigrams: true,
  weights: { char: 1, word: 1, bigram: 1, marker: 2, signal: 4 },
};

/**
 * Spellings that transliteration and hurried typing blur: "dobryi den" becomes "добрыи ден" and
 * must meet "добрый день". Folding both sides onto one form costs almost nothing in meaning.
 */
export function foldCyrillic(word: string): string {
  // Most words have none of these letters (every Latin one): one test instead of three rewrites.
  if (!FOLDED_LETTERS.test(word)) return word;
  return word.replace(/[ьъ]/g, '').replace(/[йы]/g, 'и').replace(/э/g, 'е');
}

const FOLDED_LETTERS = /[ьъйыэ]/;

const LATIN_WORD = /[a-z]/;

/**
 * The unfolded forms a token is seen in. A Latin word is kept as written (English, "wifi") and
 * also transliterated, so "privet" meets "привет" and "router" meets "роутер" without having to
 * decide which Latin words are English. The last form is always the Cyrillic-script one.
 */
function tokenForms(token: string): string[] {
  if (LATIN_WORD.test(token)) {
    const cyrillic = transliterateToCyrillic(token);
    return cyrillic === token ? [token] : [token, cyrillic];
  }
  // Digits say "a number", rarely which one: "600 рублей" and "750 рублей" are the same need.
  return [token.replace(/\d+/g, '0')];
}

/**
 * Features of one message as parallel arrays sorted by feature id (a 30-bit hash): typed arrays
 * instead of a Map because training builds thousands of these at start-up. `weights` are
 * sublinear term frequencies (1 + ln count) times the kind's multiplier; IDF comes later.
 */
export interface FeatureCounts {
  ids: Int32Array;
  weights: Float64Array;
}

// Each kind of feature hashes from its own seed, so the word "ок" and the n-gram "ок" differ.
const SEED = { char: 0x811c9dc5, word: 0x01000193, bigram: 0x1e3779b9, marker: 0x05ebca6b, signal: 0x42b2ae35 };

// FNV-1a over UTF-16 code units. Hashing instead of building n-gram strings keeps extraction at
// microseconds per message. Ids keep 30 bits so V8 stores them as small integers; among the ~30k
// distinct features of the training set a collision is about a coin flip and costs nothing.
function step(hash: number, code: number): number {
  return Math.imul(hash ^ code, 16777619);
}

function hashString(seed: number, text: string): number {
  let hash = seed;
  for (let i = 0; i < text.length; i += 1) hash = step(hash, text.charCodeAt(i));
  return hash & 0x3fffffff;
}

// Kinds are packed beside the id (id × 8 + kind) so one numeric sort groups a message's
// features by id and, within an id, by kind: counting is then a single pass.
const KIND = { char: 0, word: 1, bigram: 2, marker: 3, signal: 4 } as const;
const KINDS = 8;

export function extractFeatures(normalized: string, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): FeatureCounts {
  const packed: number[] = [];
  const tokens = normalized === '' ? [] : normalized.split(' ');
  const cyrillicWords: string[] = [];
  for (const token of tokens) {
    if (SHORTCODE.test(token)) {
      packed.push(hashString(SEED.marker, token) * KINDS + KIND.marker);
      continue;
    }
    const forms = tokenForms(token);
    cyrillicWords.push(forms[forms.length - 1]!);
    for (const form of forms) {
      const folded = foldCyrillic(form);
      if (folded === '') continue;
      packed.push(hashString(SEED.word, folded) * KINDS + KIND.word);
      addCharNgrams(folded, options, packed);
    }
  }
  // Pairs in Cyrillic script, so "ne rabotaet" and "не работает" share "не работает".
  if (options.wordBigrams) {
    const folded = cyrillicWords.map(foldCyrillic);
    for (let i = 1; i < folded.length; i += 1) {
      packed.push(hashString(SEED.bigram, `${folded[i - 1]} ${folded[i]}`) * KINDS + KIND.bigram);
    }
  }
  for (const signal of messageSignals(normalized, cyrillicWords.join(' '), cyrillicWords.length)) {
    packed.push(hashString(SEED.signal, signal) * KINDS + KIND.signal);
  }
  return count(Float64Array.from(packed).sort(), options.weights);
}

/** Sublinear TF (1 + ln count) per (id, kind), times the kind's weight, summed per id. */
function count(sorted: Float64Array, weights: FeatureOptions['weights']): FeatureCounts {
  const kindWeights = [weights.char, weights.word, weights.bigram, weights.marker, weights.signal];
  const ids = new Int32Array(sorted.length);
  const out = new Float64Array(sorted.length);
  let size = 0;
  for (let start = 0; start < sorted.length; ) {
    let end = start + 1;
    while (end < sorted.length && sorted[end] === sorted[start]) end += 1;
    const id = Math.floor(sorted[start]! / KINDS);
    const weight = (1 + Math.log(end - start)) * kindWeights[sorted[start]! % KINDS]!;
    // A hash shared by two kinds (rare) is one feature with both contributions.
    if (size > 0 && ids[size - 1] === id) out[size - 1]! += weight;
    else if (weight !== 0) {
      ids[size] = id;
      out[size] = weight;
      size += 1;
    }
    start = end;
  }
  return { ids: ids.subarray(0, size), weights: out.subarray(0, size) };
}

const SIGNAL_IDS = new Set(SIGNAL_NAMES.map((signal) => hashString(SEED.signal, signal)));

/**
 * Whether a feature id is a message-level signal. Signals exist for every message (its length),
 * so a message whose only known features are signals carries no evidence about its content.
 */
export function isSignalFeature(id: number): boolean {
  return SIGNAL_IDS.has(id);
}

/** Character n-grams of " form " (boundary-aware), hashed incrementally from each start. */
function addCharNgrams(form: string, options: FeatureOptions, packed: number[]): void {
  const padded = ` ${form} `;
  for (let start = 0; start < padded.length; start += 1) {
    let hash = SEED.char;
    for (let n = 1; n <= options.charNgramMax && start + n <= padded.length; n += 1) {
      hash = step(hash, padded.charCodeAt(start + n - 1));
      if (n >= options.charNgramMin) packed.push((hash & 0x3fffffff) * KINDS + KIND.char);
    }
  }
}
