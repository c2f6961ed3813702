/**
 * The guarantee of the optional LLM mode: an LLM's rephrasing of a knowledge answer is sent only
 * when every sentence of it is lexically supported by the passages it was given. Whatever the
 * question or an article told the LLM to say, text that is not in the passages does not pass:
 * one unsupported sentence rejects the whole output, and the caller quotes the passage verbatim.
 *
 * Lexical support (per sentence):
 * - ≥ minSupport of its content words occur in the passages: the same stem (or the same root,
 *   see stemSimilarity) counts 1, only a shared lexicon concept (a synonym, the other language)
 *   counts ½ — a synonym is a weaker witness than the word itself — and at most
 *   maxUnsupportedWords have no support at all;
 * - every number occurs in the passages, and so does every URL, e-mail address and phone number;
 * - words that change what is promised — a negation, "free", a discount, a refund, a guarantee,
 *   a currency — occur in the passages (in either language), however well the rest is supported.
 * This bounds what may be said to recombinations of the passages' own words; it cannot tell a
 * faithful recombination from a misleading one, which is why the LLM is asked to paraphrase
 * closely and the extractive passage stays the default.
 */
import { normalizeKeepingLayout } from '../classify/normalize.ts';
import { analyzeNormalized, type Token } from './analyze.ts';
import { conceptsOf } from './concepts.ts';
import { stemSimilarity } from './similar-stems.ts';

export interface GroundingOptions {
  /** Share of a sentence's content words the passages must support. */
  minSupport: number;
  /**
   * Content words a sentence may have that the passages do not support at all: a long supported
   * sentence would otherwise carry an invented clause ("…, комиссии нет, а картой — скорость
   * выше") under the share alone.
   */
  maxUnsupportedWords: number;
  /** The longest answer sent (the extractive passage's limit too). */
  maxChars: number;
}

export const DEFAULT_GROUNDING_OPTIONS: GroundingOptions = { minSupport: 0.6, maxUnsupportedWords: 3, maxChars: 600 };

export type GroundingVerdict =
  | { ok: true; text: string }
  | { ok: false; reason: 'empty' | 'too-long' | 'unsupported-sentence' | 'unknown-number' | 'unknown-link' | 'unknown-claim'; sentence?: string };

/** Checks `output` against the passages it must come from; the trimmed text when it may be sent. */
export function checkGroundedAnswer(output: string, passages: readonly string[], options: Partial<GroundingOptions> = {}): GroundingVerdict {
  const limits = { ...DEFAULT_GROUNDING_OPTIONS, ...options };
  const { maxChars } = limits;
  const text = output.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  if ([...text].length > maxChars) return { ok: false, reason: 'too-long' };

  const source = readSource(passages);
  const sentences = splitIntoSentences(text);
  if (sentences.length === 0) return { ok: false, reason: 'empty' };
  for (const sentence of sentences) {
    const verdict = checkSentence(sentence, source, limits);
    if (verdict) return { ok: false, reason: verdict, sentence };
  }
  return { ok: true, text };
}

interface Source {
  stems: Set<string>;
  concepts: Set<string>;
  claims: Set<string>;
  numbers: Set<string>;
  links: Set<string>;
  phones: Set<string>;
}

function readSource(passages: readonly string[]): Source {
  const all = passages.join('\n');
  const tokens = tokensOf(all);
  const stems = new Set<string>();
  const concepts = new Set<string>();
  for (const token of tokens) {
    for (const stem of token.stems) {
      stems.add(stem);
      for (const concept of conceptsOf(stem, false).keys()) concepts.add(concept);
    }
  }
  return {
    stems,
    concepts,
    claims: claimsOf(all, tokens),
    numbers: new Set(numbersOf(all)),
    // A link's host alone is the article's too ("help.example.net" of "https://help.example.net/pay").
    links: new Set(linksOf(all).flatMap((link) => [link, link.split('/')[0]!])),
    phones: new Set(phonesOf(all)),
  };
}

type SentenceFailure = 'unsupported-sentence' | 'unknown-number' | 'unknown-link' | 'unknown-claim';

function checkSentence(sentence: string, source: Source, limits: GroundingOptions): SentenceFailure | null {
  if (linksOf(sentence).some((link) => !source.links.has(link))) return 'unknown-link';
  if (phonesOf(sentence).some((phone) => !source.phones.has(phone))) return 'unknown-link';
  if (numbersOf(sentence).some((n) => !source.numbers.has(n))) return 'unknown-number';
  const tokens = tokensOf(sentence);
  for (const claim of claimsOf(sentence, tokens)) if (!source.claims.has(claim)) return 'unknown-claim';

  const content = tokens.filter((t) => t.role === 'content');
  // Nothing to check is not support: splitIntoSentences already joined word-less bits ("Да.")
  // to a neighbour, so this is an answer with no content word at all.
  if (content.length === 0) return 'unsupported-sentence';
  const supports = content.map((token) => support(token, source));
  const share = supports.reduce((sum, s) => sum + s, 0) / content.length;
  const unsupported = supports.filter((s) => s === 0).length;
  return share >= limits.minSupport && unsupported <= limits.maxUnsupportedWords ? null : 'unsupported-sentence';
}

function support(token: Token, source: Source): number {
  for (const stem of token.stems) {
    if (source.stems.has(stem)) return 1;
    // The same root with another suffix ("подключ" / "подключен"): the passage's word, inflected.
    for (const known of source.stems) if (stemSimilarity(stem, known, false) >= 0.8) return 1;
  }
  for (const stem of token.stems) {
    for (const concept of conceptsOf(stem, false).keys()) if (source.concepts.has(concept)) return 0.5;
  }
  return 0;
}

/** Currency signs would be dropped as punctuation; they change a price, so they are words here. */
function tokensOf(text: string): Token[] {
  const prepared = text.replace(/₽/g, ' руб ').replace(/\$/g, ' usd ').replace(/€/g, ' eur ');
  return analyzeNormalized(normalizeKeepingLayout(prepared));
}

/**
 * Sentences, including list items and lines. Split on any sentence end followed by a space — more
 * eagerly than the quoting splitter (sentences.ts), so an invented clause after ". " cannot hide
 * in a supported sentence; a piece with no word to check ("Да.", "т.е.") joins the next one.
 */
export function splitIntoSentences(text: string): string[] {
  const pieces = text
    .split(/\n+/)
    .map((line) => line.replace(/^\s*(?:[-*+•]|\d{1,3}[.)])\s+/, '').trim())
    .flatMap((line) => line.split(/(?<=[.!?…])["»”')\]]*\s+/u))
    .map((piece) => piece.trim())
    .filter(Boolean);
  const sentences: string[] = [];
  let pending = '';
  for (const piece of pieces) {
    const joined = pending ? `${pending} ${piece}` : piece;
    if (tokensOf(joined).some((t) => t.role === 'content')) {
      sentences.push(joined);
      pending = '';
    } else pending = joined;
  }
  if (pending) {
    if (sentences.length > 0) sentences[sentences.length - 1] += ` ${pending}`;
    else sentences.push(pending);
  }
  return sentences;
}

/**
 * Numbers as written, with digit groups joined ("1 000" = "1000") and "," read as "." so "2,4"
 * and "2.4" are one number; a number inside a longer one ("5" in "500") is not a match.
 */
function numbersOf(text: string): string[] {
  // Links and phone numbers are compared whole (above); their digit groups are not prices.
  const rest = text.replace(URL, ' ').replace(PHONE, ' ');
  const joined = rest.replace(/(\d)[\s\u00a0\u202f](?=\d{3}(?!\d))/g, '$1');
  return [...joined.matchAll(/\d+(?:[.,]\d+)*/g)].map((m) => m[0].replace(/,/g, '.'));
}

// \b knows only ASCII letters, so word edges are spelled out: a Cyrillic domain (пример.рф) too.
const URL = /(?<![\p{L}\p{N}_.@-])(?:(?:https?:\/\/|www\.)[^\s<>"'«»()\[\]]+|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}|(?:[\p{L}\p{N}-]+\.)+(?:[a-z]{2,}|рф)(?![\p{L}\p{N}_]))/giu;

/** URLs, e-mail addresses and bare domains, compared without scheme, "www." and trailing dots. */
function linksOf(text: string): string[] {
  return [...text.matchAll(URL)].map((m) =>
    m[0]
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/^www\./, '')
      .replace(/[.,;:!?/]+$/, ''),
  );
}

const PHONE = /\+?(?<![\d.,])\d(?:[\s()\u00a0-]*\d){6,}(?![\d.,]\d)/g;

/** Runs of 7+ digits written as a phone number (+7 (800) 555-35-35). */
function phonesOf(text: string): string[] {
  return [...text.matchAll(PHONE)]
    .map((m) => m[0].replace(/\D/g, ''))
    // "+7 (800) …", "8 800 …" and "(800) …" are one number: compared by its last ten digits.
    .map((digits) => digits.slice(-10));
}

/**
 * Words that change what the site promises, by kind; one kind in either language. A sentence may
 * use a kind only when the passages do, so an LLM cannot turn "paid" into "free", add a discount
 * or a refund, or flip a statement with a "not".
 */
const CLAIMS: ReadonlyArray<readonly [kind: string, pattern: RegExp]> = [
  ['not', /^(?:не|нет|ни|без|нельзя|никогда|никак|ничего|not|no|never|without|none|nothing|nor|cannot|cant|dont|doesnt|didnt|wont|isnt|arent|wasnt|werent|shouldnt|mustnt)$/],
  ['free', /^(?:бесплатн|даром|free$|freely|complimentary|gratis)/],
  ['discount', /^(?:скидк|акци|промокод|бонус|подар|discount|promo|bonus|coupon|gift)/],
  ['refund', /^(?:возврат|вернем|вернут|компенс|перерасч|refund|reimburs|compensat)/],
  ['guarantee', /^(?:гарант|guarant|warrant)/],
  ['always', /^(?:всегда|always|forever|навсегда)$/],
  ['rub', /^(?:руб|рубл|₽|rub|rouble|ruble)/],
  ['usd', /^(?:usd|dollar|доллар)/],
  ['eur', /^(?:eur|euro|евро)/],
];

function claimsOf(text: string, tokens: readonly Token[]): Set<string> {
  const kinds = new Set<string>();
  // Contractions: "doesn't" is one normalized word; "n't" written apart is the same "not".
  if (/\bn['’]t\b/i.test(text)) kinds.add('not');
  for (const token of tokens) {
    const word = token.surface.replace(/'/g, '');
    for (const [kind, pattern] of CLAIMS) if (pattern.test(word)) kinds.add(kind);
  }
  return kinds;
}
