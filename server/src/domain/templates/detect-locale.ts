/** Reply language follows the visitor's message; the page/site locale decides when the script doesn't. */
export type Locale = 'ru' | 'en';

export function detectLocale(text: string, fallback: string): Locale {
  const cyrillic = text.match(/[\u0400-\u04ff]/g)?.length ?? 0;
  const latin = text.match(/[a-z]/gi)?.length ?? 0;
  if (cyrillic > 0 && cyrillic >= latin / 2) return 'ru';
  // Latin text may still be transliterated Russian ("privet"); the classifier copes with that,
  // but for the reply the visitor's browser/site locale is the better guess.
  if (latin > 0 && cyrillic === 0 && !looksTransliterated(text)) return 'en';
  return fallback.toLowerCase().startsWith('en') ? 'en' : 'ru';
}

const TRANSLIT_HINTS = /\b(privet|zdravstvuite|zdrastvuite|spasibo|poka|internet ne|ne rabotaet|pozhaluista|pojaluista|pomogite|operator[au]|chelovek|zdravstvujte|dobryi|dobriy)\b/i;

function looksTransliterated(text: string): boolean {
  return TRANSLIT_HINTS.test(text);
}
