/**
 * One BM25 field: postings of term → (document, term frequency) and the document lengths.
 * A question is scored as groups of alternative terms, each group contributing its best
 * alternative once (see ranker.ts), so a question word with many spellings counts once.
 */

export interface TermGroup {
  /** Term → how much a match on it counts (1 = literal). */
  alternatives: ReadonlyMap<string, number>;
  /** Weight of the word in the question (for coverage); 0 for groups that only add score. */
  importance: number;
  /** Multiplier on the group's BM25 contribution. */
  boost: number;
}

export interface FieldScores {
  score: Float64Array;
  /** Σ importance × match strength of the groups each document matches. */
  covered: Float64Array;
  /** Σ importance of the groups each document matches literally or as an inflection (strength ≥ 0.9). */
  literal: Float64Array;
  /** Number of groups with importance > 0 each document matches. */
  matched: Uint16Array;
  /** Number of score-only groups (importance 0: word pairs) each document matches. */
  extraMatched: Uint16Array;
}

// Document ids and term frequencies interleaved ([doc, tf, doc, tf…]): one array per term
// instead of two keeps index building (tens of thousands of terms) light on the collector.
type Posting = number[];

export class Bm25Field {
  private readonly postings = new Map<string, Posting>();
  private readonly lengths: number[] = [];
  private readonly idfs = new Map<string, number>();
  private norm: number[] = [];
  private scratch: { out: FieldScores; best: Float64Array; strength: Float64Array } | null = null;

  constructor(
    private readonly k1: number,
    private readonly b: number,
  ) {}

  get size(): number {
    return this.lengths.length;
  }

  /** Documents must be added in id order 0, 1, 2…; `finish` once all are in. */
  add(tf: ReadonlyMap<string, number>, length: number): number {
    const doc = this.lengths.length;
    this.lengths.push(length);
    for (const [term, count] of tf) {
      const posting = this.postings.get(term);
      if (posting) posting.push(doc, count);
      else this.postings.set(term, [doc, count]);
    }
    return doc;
  }

  finish(): void {
    const n = this.lengths.length;
    const averageLength = Math.max(1, this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, n));
    this.norm = this.lengths.map((length) => this.k1 * (1 - this.b + (this.b * length) / averageLength));
    for (const [term, posting] of this.postings) {
      const df = posting.length / 2;
      this.idfs.set(term, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
    }
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  terms(): IterableIterator<string> {
    return this.postings.keys();
  }

  /** BM25 IDF; a term no document has gets the IDF of a term seen in half a document. */
  idf(term: string): number {
    return this.idfs.get(term) ?? Math.log(1 + (this.lengths.length + 0.5) / 0.5);
  }

  /**
   * Scores every document. The arrays returned are this field's scratch buffers, overwritten by
   * the next call: a question allocates nothing proportional to the collection, so answering
   * does not feed the garbage collector (whose pauses are what a p99 sees).
   */
  score(groups: readonly TermGroup[]): FieldScores {
    const n = this.lengths.length;
    if (!this.scratch || this.scratch.out.score.length !== n) {
      this.scratch = {
        out: { score: new Float64Array(n), covered: new Float64Array(n), literal: new Float64Array(n), matched: new Uint16Array(n), extraMatched: new Uint16Array(n) },
        best: new Float64Array(n),
        strength: new Float64Array(n),
      };
    }
    const { out, best, strength } = this.scratch;
    out.score.fill(0);
    out.covered.fill(0);
    out.literal.fill(0);
    out.matched.fill(0);
    out.extraMatched.fill(0);
    const touched: number[] = [];
    const norm = this.norm;
    for (const group of groups) {
      for (const [term, weight] of group.alternatives) {
        const posting = this.postings.get(term);
        if (!posting) continue;
        const idf = this.idf(term) * weight * group.boost * (this.k1 + 1);
        for (let i = 0; i < posting.length; i += 2) {
          const doc = posting[i]!;
          const tf = posting[i + 1]!;
          const contribution = (idf * tf) / (tf + norm[doc]!);
          if (strength[doc] === 0) touched.push(doc);
          if (contribution > best[doc]!) best[doc] = contribution;
          if (weight > strength[doc]!) strength[doc] = weight;
        }
      }
      for (const doc of touched) {
        out.score[doc]! += best[doc]!;
        if (group.importance > 0) {
          out.covered[doc]! += group.importance * strength[doc]!;
          if (strength[doc]! >= 0.9) out.literal[doc]! += group.importance;
          out.matched[doc]! += 1;
        } else out.extraMatched[doc]! += 1;
        best[doc] = 0;
        strength[doc] = 0;
      }
      touched.length = 0;
    }
    return out;
  }
}
