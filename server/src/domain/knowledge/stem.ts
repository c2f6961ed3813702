import { newStemmer } from 'snowball-stemmers';
import { foldCyrillic } from '../classify/features.ts';
import { transliterateToCyrillic } from '../classify/transliterate.ts';

/**
 * Word → stem, for both languages of the knowledge base. Snowball (the standard light stemmers)
 * rather than n-grams alone: Russian inflection changes endings on almost every word
 * ("договор", "договора", "договором"), and a stem match is far more precise than a shared trigram.
 */

const russian = newStemmer('russian');
const english = newStemmer('english');

// Stemming costs a few microseconds; questions repeat the same few hundred words. The memo is
// bounded so a stream of unique junk words cannot grow it without limit.
const MEMO_LIMIT = 50_000;
const memo = new Map<string, string>();

function remember(key: string, compute: () => string): string {
  const known = memo.get(key);
  if (known !== undefined) return known;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  const value = compute();
  memo.set(key, value);
  return value;
}

/**
 * Russian stem, folded the way the classifier folds spellings (ь/ъ dropped, й/ы → и, э → е), so
 * a transliterated "nastroyka" and a typed "настройка" meet.
 */
export function stemRussian(word: string): string {
  return remember(`r${word}`, () => foldCyrillic(russian.stem(word)) || word);
}

export function stemEnglish(word: string): string {
  return remember(`e${word}`, () => english.stem(word.replace(/'/g, '')) || word);
}

/**
 * A Latin word read as transliterated Russian. The shared transliterator writes "-yi"/"-ii"
 * endings as "ыи"/"ии" ("internetnyi"), which no Russian ending has; "ый"/"ий" is what was meant.
 */
export function latinAsCyrillic(word: string): string {
  const cyrillic = transliterateToCyrillic(word);
  return cyrillic.length > 4 ? cyrillic.replace(/([ыи])и$/, '$1й') : cyrillic;
}
