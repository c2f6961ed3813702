import { looksLikeInjection } from '../classify/signals.ts';
import { normalize, normalizeKeepingLayout } from '../classify/normalize.ts';
import { swapKeyboardLayout, transliterateToCyrillic } from '../classify/transliterate.ts';
import { analyzeNormalized, type Token } from './analyze.ts';
import { Bm25Field, type TermGroup } from './bm25.ts';
import { chunkArticle, type Unit } from './chunk.ts';
import { CONCEPT_PREFIX, SOLID_COMPOUNDS, conceptsOf, isGenericConcept } from './concepts.ts';
import type { Features } from './calibration.ts';
import { markdownToPlain } from './markdown.ts';
import type { KnowledgeOptions } from './options.ts';
import { StemLookup, editDistance, plausibleSlip } from './similar-stems.ts';
import { RUSSIAN_STOPWORDS } from './stopwords.ts';
import { foldCyrillic } from '../classify/features.ts';

/**
 * The lexical ranker: BM25 over chunks and over whole articles, where a question word is a
 * *group* of alternative terms (its literal stems, similar stems for inflection and typos,
 * lexicon concepts for synonyms and the other language) that contributes its best alternative
 * once, plus adjacent word pairs for phrases ("срок договора").
 *
 * Why our own and not minisearch or wink-bm25: those score every expanded term independently,
 * so a word with five spellings would count five times, and they do not tell which question
 * words a passage covers, which is what the calibrated score (and refusing near misses) needs.
 */

/** Shorter function words are one edit away from too many others ("где"/"год"). */
const MIN_MISSPELLED_STOPWORD = 5;
/** Lengths of a word read as a short typo (see shortTypos): shorter ones are one edit from too many words. */
const MIN_SHORT_TYPO = 4;
const MAX_SHORT_TYPO = 5;
/** Characters of a message whose words are looked up (questions are far shorter). */
const MAX_QUESTION_CHARS = 600;
/** Characters of a message searched for prompt-injection phrases (a chat message is shorter). */
const MAX_INJECTION_SCAN_CHARS = 4000;

export interface ArticleSource {
  title: string;
  body: string;
}

export interface IndexedArticle {
  title: string;
  /** Terms of the title. */
  titleTerms: Set<string>;
  /** Plain text of the body: passages are slices of it. */
  text: string;
  chunks: number[];
}

export interface IndexedChunk {
  article: number;
  units: Unit[];
  /** Terms per unit, parallel to units (for choosing the sentences to quote). */
  unitTerms: Array<Set<string>>;
  /** Terms of the article title and the section heading. */
  headingTerms: Set<string>;
}

export interface QueryGroup extends TermGroup {
  surface: string;
  /** Not in the articles, but an everyday word of the lexicon (see genericUnknownWeight). */
  everyday: boolean;
}

export interface PreparedQuestion {
  /** One group per content word, in question order. */
  groups: QueryGroup[];
  /** Adjacent content-word pairs: score only, no coverage. */
  pairs: TermGroup[];
  /** Adjacent content-word pairs in the question, found in the index or not. */
  pairCount: number;
  totalImportance: number;
  injection: boolean;
  /** The message asks something: a question mark or a question word. */
  cue: boolean;
  /** The message thanks or says goodbye. */
  closing: boolean;
  /** Content words written as a name (see namesIn) that neither the articles nor the lexicon know. */
  unknownNames: number;
}

export interface RankedArticle {
  article: number;
  chunk: number;
  score: number;
  coverage: number;
  articleCoverage: number;
  literalCoverage: number;
  matchedShare: number;
  pairShare: number;
  missingWeight: number;
  margin: number;
}

interface TextTerms {
  /** Stems and concepts of each content word, in text order. */
  words: string[][];
  /** Literal stems of each content word (for pairs). */
  stems: string[][];
  /** Each content word as written (normalized). */
  surfaces: string[];
}

export class Ranker {
  readonly articles: IndexedArticle[] = [];
  readonly chunks: IndexedChunk[] = [];
  private readonly chunkField: Bm25Field;
  private readonly articleField: Bm25Field;
  /** Title + heading terms per chunk and title terms per article: only their coverage is used. */
  private readonly headingField: Bm25Field;
  private readonly titleField: Bm25Field;
  private vocabulary = new StemLookup([]);
  /** Words as written in the articles → their stems: typos are made in words, not in stems. */
  private readonly surfaceStems = new Map<string, string[]>();
  private surfaces = new StemLookup([]);
  /** Article words of 3–6 letters by first letter: typo candidates for words too short for `surfaces`. */
  private readonly shortSurfaces = new Map<string, string[]>();

  /**
   * Builds the ranker one article per step: a caller with an event loop to keep (the server,
   * for a site of hundreds of articles) runs the steps in slices between other work; nothing
   * here knows about time.
   */
  static *building(sources: readonly ArticleSource[], options: KnowledgeOptions): Generator<void, Ranker> {
    const ranker = new Ranker(options);
    for (const source of sources) {
      ranker.add(source);
      yield;
    }
    for (const field of [ranker.chunkField, ranker.articleField, ranker.headingField, ranker.titleField]) field.finish();
    yield;
    ranker.vocabulary = new StemLookup([...ranker.chunkField.terms()].filter((term) => !term.startsWith(CONCEPT_PREFIX) && !term.includes(' ')));
    ranker.surfaces = new StemLookup(ranker.surfaceStems.keys());
    for (const surface of ranker.surfaceStems.keys()) {
      if (surface.length < MIN_SHORT_TYPO - 1 || surface.length > MAX_SHORT_TYPO + 1) continue;
      const list = ranker.shortSurfaces.get(surface[0]!);
      if (list) list.push(surface);
      else ranker.shortSurfaces.set(surface[0]!, [surface]);
    }
    return ranker;
  }

  private constructor(private readonly options: KnowledgeOptions) {
    this.chunkField = new Bm25Field(options.k1, options.b);
    this.articleField = new Bm25Field(options.k1, options.b);
    this.headingField = new Bm25Field(options.k1, options.b);
    this.titleField = new Bm25Field(options.k1, options.b);
  }

  private add(source: ArticleSource): void {
    const article = this.articles.length;
    const plain = markdownToPlain(source.body);
    const title = textTerms(source.title);
    const indexed: IndexedArticle = { title: source.title, titleTerms: new Set(title.words.flat()), text: plain.text, chunks: [] };
    this.titleField.add(new Map([...indexed.titleTerms].map((term) => [term, 1])), indexed.titleTerms.size);
    this.articles.push(indexed);
    const articleTf = new Map<string, number>();
    let articleLength = 0;
    addTerms(articleTf, title, this.options.titleWeight, false);
    for (const chunk of chunkArticle(plain, { minWords: this.options.chunkMinWords, maxWords: this.options.chunkMaxWords })) {
      const heading = textTerms(chunk.heading);
      const units = chunk.units.map((unit) => textTerms(plain.text.slice(unit.start, unit.end)));
      const tf = new Map<string, number>();
      let length = 0;
      for (const text of [title, heading, ...units]) text.surfaces.forEach((surface, i) => this.surfaceStems.set(surface, text.stems[i]!));
      for (const unit of units) {
        addTerms(tf, unit, 1);
        addTerms(articleTf, unit, 1, false);
        length += unit.words.length;
      }
      addTerms(tf, title, this.options.titleWeight);
      addTerms(tf, heading, this.options.headingWeight);
      addTerms(articleTf, heading, this.options.headingWeight, false);
      articleLength += length;
      const id = this.chunkField.add(tf, length);
      indexed.chunks.push(id);
      const headingTerms = new Set([...title.words.flat(), ...heading.words.flat()]);
      this.headingField.add(new Map([...headingTerms].map((term) => [term, 1])), headingTerms.size);
      this.chunks.push({ article, units: chunk.units, unitTerms: units.map((unit) => new Set(unit.words.flat())), headingTerms });
    }
    this.articleField.add(articleTf, articleLength);
  }

  prepare(fullQuestion: string): PreparedQuestion {
    // An injection is looked for in a longer stretch of the message than the words looked up
    // (its beginning), so a pasted wall of text costs about what a question costs.
    const question = fullQuestion.slice(0, MAX_QUESTION_CHARS);
    const scanned = fullQuestion.slice(0, MAX_INJECTION_SCAN_CHARS);
    const whole = normalizeKeepingLayout(scanned);
    const retyped = normalize(prepareText(question));
    const kept = normalizeKeepingLayout(prepareText(question));
    const tokens = kept === retyped ? analyzeNormalized(retyped) : this.readSlip(question);
    const cyrillic = whole.split(' ').map((word) => (/[a-z]/.test(word) ? transliterateToCyrillic(word) : word)).join(' ');
    const injection = looksLikeInjection(normalize(scanned)) || looksLikeInjection(whole) || looksLikeInjection(cyrillic);
    const names = namesIn(question);
    const groups: QueryGroup[] = [];
    const content: Token[] = [];
    const seen = new Set<string>();
    for (const token of tokens) {
      if (token.role !== 'content' || this.misspelledStopword(token)) continue;
      content.push(token);
      if (seen.has(token.stems.join(' '))) continue;
      seen.add(token.stems.join(' '));
      groups.push(this.group(token, names.has(token.surface)));
    }
    const pairs: TermGroup[] = [];
    for (let i = 1; i < content.length; i += 1) {
      const alternatives = new Map<string, number>();
      for (const left of content[i - 1]!.stems) {
        for (const right of content[i]!.stems) if (this.chunkField.has(`${left} ${right}`)) alternatives.set(`${left} ${right}`, 1);
      }
      if (alternatives.size > 0) pairs.push({ alternatives, importance: 0, boost: this.options.pairWeight });
    }
    return {
      groups,
      pairs,
      unknownNames: groups.filter((g) => g.alternatives.size === 0 && !g.everyday && names.has(g.surface)).length,
      pairCount: Math.max(0, content.length - 1),
      totalImportance: groups.reduce((sum, g) => sum + g.importance, 0),
      injection,
      cue: /[?？]/.test(fullQuestion) || tokens.some((t) => t.cue),
      closing: tokens.some((t) => t.role === 'closing'),
    };
  }

  /**
   * A message normalize() re-typed as a keyboard-layout slip, read word by word: a re-typed word
   * can be a real acronym of the articles ("dhcp", "ip" in "cnfnbxtcrbq ip"), so each keeps the
   * spelling the index knows.
   */
  private readSlip(question: string): Token[] {
    const tokens: Token[] = [];
    const cyrillic = /[а-яё]/i.test(question);
    for (const chunk of question.split(/\s+/)) {
      const asTyped = analyzeNormalized(normalizeKeepingLayout(prepareText(chunk)));
      const latin = chunk.toLowerCase();
      if (!/^[a-z;',.[\]`]+[!?.,]*$/.test(latin)) {
        tokens.push(...asTyped);
        continue;
      }
      const swapped = analyzeNormalized(normalizeKeepingLayout(swapKeyboardLayout(latin.replace(/[!?]+$/, ''))));
      const known = this.knows(asTyped);
      if (known !== this.knows(swapped)) tokens.push(...(known ? asTyped : swapped));
      // Unknown either way: beside Cyrillic words a Latin one is an acronym ("VPN на роутере").
      else tokens.push(...(cyrillic ? asTyped : swapped));
    }
    return tokens;
  }

  /**
   * "кагда", "скольок", "пожалуста": a word neither the articles nor the lexicon know, one edit
   * away from a function word, is that function word mistyped. Left as content it would count
   * as a question word no article has, and sink an answer the rest of the question finds.
   */
  private misspelledStopword(token: Token): boolean {
    if (token.surface.length < MIN_MISSPELLED_STOPWORD || !/^[а-я]+$/.test(token.surface)) return false;
    if (token.stems.some((stem) => this.chunkField.has(stem) || conceptsOf(stem, false).size > 0)) return false;
    const folded = foldCyrillic(token.surface);
    for (const stopword of RUSSIAN_STOPWORDS) {
      if (stopword.length >= MIN_MISSPELLED_STOPWORD && Math.abs(stopword.length - folded.length) <= 1 && editDistance(folded, stopword, 1) <= 1 && plausibleSlip(folded, stopword)) return true;
    }
    return false;
  }

  /** Article words one edit from a short Cyrillic word (4–5 letters), with their similarity. */
  private shortTypos(word: string): Array<[string, number]> {
    if (word.length < MIN_SHORT_TYPO || word.length > MAX_SHORT_TYPO || !/^[а-я]+$/.test(word)) return [];
    const out: Array<[string, number]> = [];
    for (const surface of this.shortSurfaces.get(word[0]!) ?? []) {
      if (Math.abs(surface.length - word.length) <= 1 && editDistance(surface, word, 1) === 1) out.push([surface, this.options.shortTypoWeight]);
    }
    return out;
  }

  private knows(tokens: Token[]): boolean {
    return tokens.length > 0 && tokens.every((t) => t.role !== 'content' || t.stems.some((stem) => this.chunkField.has(stem) || conceptsOf(stem, false).size > 0));
  }

  /** `name`: the word is written as a name (see namesIn). */
  private group(token: Token, name: boolean): QueryGroup {
    const field = this.chunkField;
    const alternatives = new Map<string, number>();
    const set = (term: string, weight: number): void => {
      if (field.has(term) && (alternatives.get(term) ?? 0) < weight) alternatives.set(term, weight);
    };
    let literalIdf = -1;
    for (const stem of token.stems) {
      if (field.has(stem)) literalIdf = Math.max(literalIdf, field.idf(stem));
      set(stem, 1);
      // Typos only for stems the index does not have; inflection variants always.
      for (const [similar, similarity] of this.vocabulary.similar(stem, !field.has(stem))) set(similar, similarity);
      for (const [concept, similarity] of conceptsOf(stem, true)) {
        set(concept, (isGenericConcept(concept) ? this.options.genericConceptWeight : this.options.conceptWeight) * similarity);
      }
    }
    // A word the articles do not have may be one of theirs mistyped: "медлено" for "медленно"
    // (whose stems differ more than the words do).
    if (literalIdf < 0) {
      for (const [surface, similarity] of this.surfaces.similar(token.surface, true)) {
        for (const stem of this.surfaceStems.get(surface) ?? []) set(stem, similarity);
      }
    }
    // "тарив", "сума": a short word nothing else matched, one edit from an article's word that
    // starts with the same letter, is that word mistyped (stems this short are not compared).
    if (alternatives.size === 0) {
      for (const [surface, similarity] of this.shortTypos(token.surface)) {
        for (const stem of this.surfaceStems.get(surface) ?? []) set(stem, similarity);
      }
    }
    let importance = literalIdf;
    let everyday = false;
    if (importance < 0) {
      // Not a word of the index: as important as its closest stand-in, or as an unknown word.
      let best = 0;
      for (const [term, weight] of alternatives) {
        if (weight > best || (weight === best && field.idf(term) > importance)) {
          best = weight;
          importance = field.idf(term);
        }
      }
      if (importance < 0) {
        // Questions asked on a site whose articles use other words are full of these: one
        // counts less than an unknown name (someone else's product: a near miss), so it weighs
        // on the confidence without deciding it alone.
        importance = field.idf('') * (name ? 1 : this.options.unknownWeight);
        // An everyday word the articles happen not to use ("посмотреть", "accept", "item") says
        // little about the need: a missing one must not sink a question the rest answers.
        everyday = token.stems.some((stem) => [...conceptsOf(stem, false).keys()].some(isGenericConcept));
        if (everyday) importance *= this.options.genericUnknownWeight;
        // A Latin word that is neither in the articles nor in the lexicon is most often English
        // the bridge does not know ("accept", "methods"): evidence of nothing, not of another topic.
        if (/^[a-z']+$/.test(token.surface)) importance *= this.options.unknownLatinWeight;
      }
    }
    return { surface: token.surface, alternatives, importance, boost: 1, everyday };
  }

  /** Articles best first, each with its best chunk and the evidence for calibration. */
  rank(prepared: PreparedQuestion, limit: number): RankedArticle[] {
    const { groups, totalImportance } = prepared;
    if (groups.length === 0 || this.chunks.length === 0) return [];
    const scored = [...groups, ...prepared.pairs];
    const chunkScores = this.chunkField.score(scored);
    const articleScores = this.articleField.score(scored);
    const headingCovered = this.headingField.score(groups).covered;
    const titleCovered = this.titleField.score(groups).covered;
    const candidates: Array<{ article: number; chunk: number; score: number }> = [];
    const { titleMatchWeight, articleWeight } = this.options;
    this.articles.forEach((article, id) => {
      let best = -1;
      let bestScore = 0;
      for (const chunk of article.chunks) {
        if (chunkScores.score[chunk] === 0) continue;
        // A question about what a section heading names is about that section.
        const score = chunkScores.score[chunk]! + titleMatchWeight * headingCovered[chunk]!;
        if (best < 0 || score > bestScore) {
          best = chunk;
          bestScore = score;
        }
      }
      if (best < 0) return;
      // Questions are asked about what titles name: a title covering the question is strong evidence.
      const score = bestScore + titleMatchWeight * titleCovered[id]! + articleWeight * articleScores.score[id]!;
      if (score > 0) candidates.push({ article: id, chunk: best, score });
    });
    candidates.sort((x, y) => y.score - x.score || x.article - y.article);
    return candidates.slice(0, Math.max(1, limit)).map(({ article, chunk, score }, position) => {
      const other = position === 0 ? (candidates[1]?.score ?? 0) : candidates[0]!.score;
      return {
        article,
        chunk,
        score,
        coverage: totalImportance > 0 ? chunkScores.covered[chunk]! / totalImportance : 0,
        articleCoverage: totalImportance > 0 ? articleScores.covered[article]! / totalImportance : 0,
        literalCoverage: totalImportance > 0 ? chunkScores.literal[chunk]! / totalImportance : 0,
        matchedShare: chunkScores.matched[chunk]! / groups.length,
        pairShare: prepared.pairCount > 0 ? chunkScores.extraMatched[chunk]! / prepared.pairCount : 0,
        missingWeight: this.missingWeight(prepared, chunk),
        margin: score > 0 ? (score - other) / score : 0,
      };
    });
  }

  private missingWeight(prepared: PreparedQuestion, chunk: number): number {
    const { unitTerms, headingTerms } = this.chunks[chunk]!;
    let missing = 0;
    for (const group of prepared.groups) {
      const hit = [...group.alternatives.keys()].some((term) => headingTerms.has(term) || unitTerms.some((terms) => terms.has(term)));
      if (!hit) missing = Math.max(missing, group.importance);
    }
    return missing / this.chunkField.idf('');
  }

  features(prepared: PreparedQuestion, hit: RankedArticle, passage: { coverage: number; sentenceCoverage: number }): Features {
    return {
      coverage: hit.coverage,
      articleCoverage: hit.articleCoverage,
      literalCoverage: hit.literalCoverage,
      matchedShare: hit.matchedShare,
      passageCoverage: passage.coverage,
      sentenceCoverage: passage.sentenceCoverage,
      pairShare: hit.pairShare,
      margin: hit.margin,
      missingWeight: hit.missingWeight,
      density: prepared.totalImportance > 0 ? hit.score / (prepared.totalImportance * (this.options.k1 + 1)) : 0,
      knownShare: prepared.groups.filter((g) => g.alternatives.size > 0 || g.everyday).length / Math.max(1, prepared.groups.length),
      inverseLength: 1 / Math.max(1, prepared.groups.length),
      questionCue: prepared.cue ? 1 : 0,
    };
  }
}

/**
 * Before normalization: currency signs carry the meaning "price" (normalization would drop them
 * as punctuation), and a hyphenated compound is read as its words ("IP-адрес" must meet "IP
 * адрес", "ТВ-пакеты" meet "пакеты ТВ") unless the lexicon knows it written solid ("Wi-Fi").
 */
function prepareText(text: string): string {
  return text
    .replace(/₽/g, ' руб ')
    .replace(/\$/g, ' usd ')
    .replace(/€/g, ' eur ')
    .replace(/(\p{L}+)[-‐–](?=\p{L})/gu, (whole, left: string, offset: number, all: string) => {
      const right = /^\p{L}+/u.exec(all.slice(offset + whole.length))![0];
      return SOLID_COMPOUNDS.has(`${left}${right}`.toLowerCase().replace(/ё/g, 'е')) ? left : `${left} `;
    });
}

/**
 * Words of a question written as names: capitalized inside a sentence ("на Госуслугах", "my
 * Netflix account") or Latin among Cyrillic ("VPN на ноутбуке"). One the site's articles and the
 * lexicon do not know names someone else's product or place: the question is about it, not
 * about what the article says of the words around it (a near miss).
 */
function namesIn(question: string): Set<string> {
  const names = new Set<string>();
  const cyrillic = /[а-яё]/i.test(question);
  let sentenceStart = true;
  for (const raw of question.split(/\s+/)) {
    const word = raw.replace(/^[^\p{L}\d]+|[^\p{L}\d]+$/gu, '');
    if (word !== '' && ((!sentenceStart && /^\p{Lu}/u.test(word) && word !== 'I') || (cyrillic && /^[a-z]+$/i.test(word)))) {
      names.add(normalizeKeepingLayout(word));
    }
    if (word !== '') sentenceStart = /[.!?]$/.test(raw);
  }
  return names;
}

/** Index terms of a piece of article text: stems of its content words and their concepts. */
function textTerms(text: string): TextTerms {
  const words: string[][] = [];
  const stems: string[][] = [];
  const surfaces: string[] = [];
  for (const token of analyzeNormalized(normalizeKeepingLayout(prepareText(text)))) {
    if (token.role === 'stop') continue;
    const terms = new Set<string>();
    for (const stem of token.stems) {
      terms.add(stem);
      for (const concept of conceptsOf(stem, false).keys()) terms.add(concept);
    }
    words.push([...terms]);
    stems.push(token.stems);
    surfaces.push(token.surface);
  }
  return { words, stems, surfaces };
}

function addTerms(tf: Map<string, number>, text: TextTerms, weight: number, pairs = true): void {
  for (const terms of text.words) for (const term of terms) tf.set(term, (tf.get(term) ?? 0) + weight);
  if (!pairs) return;
  for (let i = 1; i < text.stems.length; i += 1) {
    for (const left of text.stems[i - 1]!) {
      for (const right of text.stems[i]!) tf.set(`${left} ${right}`, (tf.get(`${left} ${right}`) ?? 0) + weight);
    }
  }
}
