import type { IndexedArticle, IndexedChunk, PreparedQuestion } from './ranker.ts';

export interface PassageLimits {
  maxChars: number;
  maxSentences: number;
  maxItems: number;
  /** A neighbouring sentence is quoted too when it matches at least this share of the best one. */
  neighbourShare: number;
}

export interface Passage {
  /** A slice of the article's plain text: start and end offsets, and the text itself. */
  start: number;
  end: number;
  text: string;
  /** Share of the question's weight matched by the quoted sentences and the title. */
  coverage: number;
  /** The same for the single best-matching sentence and the title. */
  sentenceCoverage: number;
}

/** How much of the question a set of terms answers, as weight × match strength per question word. */
function weightIn(prepared: PreparedQuestion, has: (term: string) => boolean): number {
  let total = 0;
  for (const group of prepared.groups) {
    let best = 0;
    for (const [term, weight] of group.alternatives) if (weight > best && has(term)) best = weight;
    total += group.importance * best;
  }
  return total;
}

/**
 * The sentences to quote: the best-matching unit of the chunk and its neighbours while they add
 * to the answer, in article order and always contiguous, so the passage is one verbatim slice.
 * A sentence ending in a colon brings what it introduces (a list of steps, a price table).
 */
export function selectPassage(article: IndexedArticle, chunk: IndexedChunk, prepared: PreparedQuestion, limits: PassageLimits): Passage {
  const { units, unitTerms } = chunk;
  const scores = unitTerms.map((terms) => weightIn(prepared, (term) => terms.has(term)));
  let best = 0;
  scores.forEach((score, i) => {
    if (score > scores[best]!) best = i;
  });
  let lo = best;
  let hi = best;
  const isItem = (i: number): boolean => units[i]!.kind === 'item' || units[i]!.kind === 'row';
  const fits = (from: number, to: number): boolean => {
    if (units[to]!.end - units[from]!.start > limits.maxChars) return false;
    let sentences = 0;
    let items = 0;
    for (let i = from; i <= to; i += 1) {
      if (isItem(i)) items += 1;
      else sentences += 1;
    }
    return sentences <= limits.maxSentences && items <= limits.maxItems;
  };
  // A list item or row read alone lacks what it is a list of: take its lead-in.
  if (isItem(best)) {
    let lead = best - 1;
    while (lead >= 0 && isItem(lead)) lead -= 1;
    if (lead >= 0 && units[lead]!.leadsOn && fits(lead, hi)) lo = lead;
  }
  for (;;) {
    const next = hi + 1 < units.length ? hi + 1 : -1;
    const previous = lo - 1;
    // What a colon introduces, and the rest of a list already begun, come first.
    if (next >= 0 && (units[hi]!.leadsOn || (isItem(hi) && isItem(next) && units[lo]!.leadsOn)) && fits(lo, next)) {
      hi = next;
      continue;
    }
    // A neighbour joins when it answers a good part of what the best sentence does, not merely
    // because it shares a word.
    const enough = scores[best]! * limits.neighbourShare;
    const nextScore = next >= 0 && fits(lo, next) ? scores[next]! : 0;
    const previousScore = previous >= 0 && fits(previous, hi) ? scores[previous]! : 0;
    if ((nextScore <= 0 || nextScore < enough) && (previousScore <= 0 || previousScore < enough)) break;
    if (nextScore >= previousScore && nextScore >= enough) hi = next;
    else lo = previous;
  }
  const start = units[lo]!.start;
  let end = units[hi]!.end;
  // One sentence longer than the limit: cut it at a word boundary (still the article's words).
  if (end - start > limits.maxChars) {
    const cut = article.text.lastIndexOf(' ', start + limits.maxChars);
    end = cut > start ? cut : start + limits.maxChars;
    end = start + article.text.slice(start, end).replace(/[\s,;:—–-]+$/, '').length;
  }
  const text = article.text.slice(start, end);
  const quoted = units.slice(lo, hi + 1).map((_, i) => unitTerms[lo + i]!);
  const covered = weightIn(prepared, (term) => chunk.headingTerms.has(term) || quoted.some((terms) => terms.has(term)));
  const sentence = weightIn(prepared, (term) => chunk.headingTerms.has(term) || unitTerms[best]!.has(term));
  const total = prepared.totalImportance;
  return { start, end, text, coverage: total > 0 ? covered / total : 0, sentenceCoverage: total > 0 ? sentence / total : 0 };
}
