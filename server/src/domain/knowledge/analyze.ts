import { SHORTCODE } from '../classify/emoji.ts';
import { foldCyrillic } from '../classify/features.ts';
import { latinAsCyrillic, stemEnglish, stemRussian } from './stem.ts';
import { CLOSING_WORDS, ENGLISH_STOPWORDS, GREETING_WORDS, QUESTION_CUES, RUSSIAN_STOPWORDS } from './stopwords.ts';

/**
 * Normalized text (see classify/normalize.ts) → words with their stems. Used for articles and
 * questions alike, so both sides of a match are spelled the same way.
 */

export type TokenRole = 'content' | 'stop' | 'greeting' | 'closing';

export interface Token {
  surface: string;
  /**
   * Literal stems of the word, distinct. A Latin word has two readings, English and
   * transliterated Russian ("router" → router / роутер, "dogovor" → dogovor / договор): which
   * one is meant is decided by the index (the one it has), not guessed here.
   */
  stems: string[];
  role: TokenRole;
  /** A word that marks a question ("как", "how", "сколько"). */
  cue: boolean;
}

const LATIN = /^[a-z']+$/;
const CYRILLIC = /^[а-я]+$/;
// The second word of "добрый день", "good morning": a greeting, not a day or a time.
const GREETING_OPENERS = new Set(['добрый', 'доброе', 'доброго', 'доброй', 'good']);
const GREETING_CLOSERS = new Set(['день', 'вечер', 'утро', 'ночи', 'дня', 'morning', 'evening', 'afternoon', 'day', 'night']);

export function analyzeNormalized(normalized: string): Token[] {
  const tokens: Token[] = [];
  let previous = '';
  for (const surface of normalized.split(' ')) {
    if (surface === '' || SHORTCODE.test(surface)) continue;
    tokens.push(analyzeWord(surface, previous));
    previous = surface;
  }
  return tokens;
}

// "how much" asks a price; "much" alone is a stop word.
const PHRASE_STEMS: Readonly<Record<string, readonly string[]>> = { 'how much': ['price'] };

function analyzeWord(surface: string, previous: string): Token {
  const phrase = PHRASE_STEMS[`${previous} ${surface}`];
  if (phrase) return { surface, stems: [...phrase], role: 'content', cue: true };
  const latin = LATIN.test(surface);
  const cyrillic = !latin && CYRILLIC.test(surface);
  const asRussian = latin ? latinAsCyrillic(surface) : surface;
  const folded = foldCyrillic(surface);
  const foldedRussian = foldCyrillic(asRussian);
  const has = (set: ReadonlySet<string>): boolean => set.has(folded) || (latin && set.has(foldedRussian));
  let stems: string[];
  if (latin) {
    const english = stemEnglish(surface);
    const russian = stemRussian(asRussian);
    stems = english === russian ? [english] : [english, russian];
  } else if (cyrillic) stems = [stemRussian(surface)];
  // Numbers, model names ("5ghz", "tp link"), mixed scripts: as written.
  else stems = [surface.replace(/'/g, '')];

  let role: TokenRole = 'content';
  if (GREETING_OPENERS.has(previous) && GREETING_CLOSERS.has(surface)) role = 'greeting';
  else if (has(GREETING_WORDS) || GREETING_OPENERS.has(surface)) role = 'greeting';
  else if (has(CLOSING_WORDS)) role = 'closing';
  else if (has(RUSSIAN_STOPWORDS) || (latin && ENGLISH_STOPWORDS.has(surface)) || [...surface].length < 2) role = 'stop';
  return { surface, stems, role, cue: has(QUESTION_CUES) };
}
