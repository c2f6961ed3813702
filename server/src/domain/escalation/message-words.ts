/**
 * A visitor message as the escalation detectors read it: the classifier's own normalization
 * (lower case, "ё" → "е", markup and emoji handled, wrong keyboard layout re-typed, stretched
 * letters shortened, punctuation gone) and every Latin word also transliterated, so one Russian
 * pattern matches "оператора" and "operatora" alike.
 */
import { SHORTCODE } from '../classify/emoji.ts';
import { foldCyrillic } from '../classify/features.ts';
import { normalize } from '../classify/normalize.ts';
import { transliterateToCyrillic } from '../classify/transliterate.ts';
import { Memo } from '../memo.ts';

export interface MessageWords {
  /** normalize(text): words separated by single spaces, no punctuation. */
  normalized: string;
  /** The words (emoji shortcodes left out). */
  words: string[];
  /** The same words with Latin ones transliterated to Cyrillic ("privet" → "привет"). */
  cyrillic: string[];
  /** The raw text asked something ("?"), which normalization drops. */
  question: boolean;
  /** Mostly capital letters: shouting. */
  shouting: boolean;
}

const LATIN = /[a-z]/;

export function messageWords(text: string): MessageWords {
  return analysed.remember(text, () => {
    const normalized = normalize(text);
    return {
      ...wordsOf(normalized),
      question: /[?¿？]/.test(text),
      shouting: isShouting(text),
    };
  });
}

/** At least 6 letters, over 70% of them capitals. */
function isShouting(text: string): boolean {
  const upper = text.replace(/[^\p{Lu}]/gu, '');
  // Fewer than 5 capitals are never over 70% of 6+ letters: most messages need no letter count.
  if (upper.length < 5) return false;
  const letters = text.replace(/[^\p{L}]/gu, '');
  return letters.length >= 6 && upper.length / letters.length > 0.7;
}

/** The words of already normalized text, as written and transliterated. */
export function wordsOf(normalized: string): Pick<MessageWords, 'normalized' | 'words' | 'cyrillic'> {
  const words = normalized === '' ? [] : normalized.split(' ').filter((word) => !SHORTCODE.test(word));
  return { normalized, words, cyrillic: words.map((word) => (LATIN.test(word) ? transliterateToCyrillic(word) : word)) };
}

// The rules re-read the last dozen messages at every new one: each text is analysed once while it is recent.
const analysed = new Memo<MessageWords>();

/**
 * One spelling for words that transliteration and hurried typing blur ("спасибо"/"spasibo" →
 * "спасибо", "здравствуйте"/"zdravstvuite" → "здравствуите"), as the classifier's features fold them.
 */
export function foldWord(word: string): string {
  return foldCyrillic(word);
}

/**
 * Whether any pattern matches the message as written or with its Latin words transliterated;
 * `ignoring` (a global pattern) is cut out first, for phrases that only look like a match.
 */
export function matchesAny(words: MessageWords, patterns: readonly RegExp[], ignoring?: RegExp): boolean {
  const cut = (text: string) => (ignoring ? text.replace(ignoring, ' ').replace(/ +/g, ' ').trim() : text);
  const written = cut(words.words.join(' '));
  const cyrillic = cut(words.cyrillic.join(' '));
  return patterns.some((pattern) => pattern.test(written) || (cyrillic !== written && pattern.test(cyrillic)));
}
