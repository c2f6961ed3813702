/**
 * Which known stems a question's stem may stand for, and how surely. Two things blur stems:
 * - inflection the stemmer leaves apart: "заморозить" → "замороз", "заморозка" → "заморозк";
 *   "переезд" / "переехать" → "переезд" / "перееха";
 * - typos: "роутре", "пароль" typed "паорль", "подклюение".
 * Both are caught on stems of at least five letters, where a shared prefix or one edit is rarely
 * a different word; shorter stems must match exactly.
 */

export const MIN_FUZZY_LENGTH = 5;

/** Similarity of two stems in 0..1; 0 = unrelated. `edits` allows typo (edit-distance) matches. */
export function stemSimilarity(a: string, b: string, edits: boolean): number {
  if (a === b) return 1;
  const shorter = Math.min(a.length, b.length);
  if (shorter < MIN_FUZZY_LENGTH) return 0;
  let common = 0;
  while (common < shorter && a.charCodeAt(common) === b.charCodeAt(common)) common += 1;
  // One stem is the other plus a suffix the stemmer kept: "тариф" / "тарифн", "подключ" / "подключен".
  if (common === shorter && Math.abs(a.length - b.length) <= 3) return 0.9;
  // The same root with different short tails: "переезд" / "перееха", "подключа" / "подключен".
  if (common >= MIN_FUZZY_LENGTH && a.length - common <= 2 && b.length - common <= 2) return 0.8;
  if (!edits || Math.abs(a.length - b.length) > 2) return 0;
  // One edit in a five-letter word is as often another word ("длины" / "двины") as a typo.
  const distance = editDistance(a, b, 2);
  if (distance === 1 && shorter >= 6) return 0.75;
  if (distance === 2 && shorter >= 9) return 0.6;
  return 0;
}

/** Optimal-string-alignment distance (a swap of neighbours is one edit), capped at max + 1. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2]! + 1);
      row.push(value);
      if (value < best) best = value;
    }
    if (best > max) return max + 1;
    previous2 = previous;
    previous = row;
  }
  return previous[b.length]!;
}

/** Keys of the Russian keyboard, row by row: a finger slips to a neighbouring key. */
const KEY_ROWS = ['йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбю'];
const VOWELS = /[аеиоуыэюяё]/;

function neighbouringKeys(a: string, b: string): boolean {
  const position = (c: string): [number, number] => {
    const row = KEY_ROWS.findIndex((r) => r.includes(c));
    return [row, row < 0 ? -1 : KEY_ROWS[row]!.indexOf(c)];
  };
  const [ra, ca] = position(a);
  const [rb, cb] = position(b);
  if (ra < 0 || rb < 0) return false;
  // Rows are staggered: a key touches the one below it and the one below-left.
  return (ra === rb && Math.abs(ca - cb) === 1) || (Math.abs(ra - rb) === 1 && (ra < rb ? cb - ca : ca - cb) >= -1 && (ra < rb ? cb - ca : ca - cb) <= 0);
}

/**
 * `word` is one edit from `intended` (see editDistance); is that edit a slip people make? A
 * letter left out, doubled or swapped with its neighbour, an unstressed vowel written as another
 * ("кагда"), a neighbouring key ("мржно"): yes. Any other letter for another is more often a
 * different word: "такси" is not "такой" mistyped.
 */
export function plausibleSlip(word: string, intended: string): boolean {
  if (word.length !== intended.length) return true;
  const differ: number[] = [];
  for (let i = 0; i < word.length; i += 1) if (word[i] !== intended[i]) differ.push(i);
  if (differ.length !== 1) return differ.length === 2 && differ[1] === differ[0]! + 1 && word[differ[0]!] === intended[differ[1]!];
  const [a, b] = [word[differ[0]!]!, intended[differ[0]!]!];
  return (VOWELS.test(a) && VOWELS.test(b)) || neighbouringKeys(a, b);
}

/**
 * Finds the stems of a vocabulary similar to a given one without comparing against all of them.
 * Prefix relations share the first MIN_FUZZY_LENGTH letters: one bucket. A single edit leaves
 * either the first three or the last three letters alone (for stems of six letters or more, and
 * most of five), so typo candidates come from two more buckets, filtered by length first.
 * (A deletion index — SymSpell — finds every candidate but costs ten map entries per word, which
 * made building the index for 500 articles several times slower.)
 */
export class StemLookup {
  private readonly byPrefix = new Map<string, string[]>();
  private readonly byHead = new Map<string, string[]>();
  private readonly byTail = new Map<string, string[]>();

  constructor(stems: Iterable<string>) {
    for (const stem of stems) {
      if (stem.length < MIN_FUZZY_LENGTH) continue;
      push(this.byPrefix, stem.slice(0, MIN_FUZZY_LENGTH), stem);
      push(this.byHead, stem.slice(0, 3), stem);
      push(this.byTail, stem.slice(-3), stem);
    }
  }

  /** Known stems similar to `stem` (never `stem` itself), with their similarity. */
  similar(stem: string, edits: boolean): Array<[string, number]> {
    if (stem.length < MIN_FUZZY_LENGTH) return [];
    const out: Array<[string, number]> = [];
    const seen = new Set<string>([stem]);
    const consider = (candidate: string): void => {
      if (seen.has(candidate)) return;
      seen.add(candidate);
      const similarity = stemSimilarity(stem, candidate, edits);
      if (similarity > 0) out.push([candidate, similarity]);
    };
    for (const candidate of this.byPrefix.get(stem.slice(0, MIN_FUZZY_LENGTH)) ?? []) consider(candidate);
    if (edits) {
      for (const bucket of [this.byHead.get(stem.slice(0, 3)), this.byTail.get(stem.slice(-3))]) {
        for (const candidate of bucket ?? []) if (Math.abs(candidate.length - stem.length) <= 2) consider(candidate);
      }
    }
    return out;
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
