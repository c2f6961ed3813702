/**
 * The language a conversation is answered in. Its first messages (and the page, when they do not
 * tell) decide it; after that it stays, however the visitor writes one message — an email
 * address, a product name, an error code in Latin letters — and changes only when the visitor
 * clearly switches: two messages in a row written in the other language.
 */
import { Memo } from '../memo.ts';
import { detectLocale, type Locale } from './detect-locale.ts';

/** Addresses, links and handles say nothing about the language the visitor writes in. */
const NOT_WORDS = /\S+@\S+|https?:\/\/\S+|www\.\S+/gi;
const CYRILLIC_WORD = /[\u0400-\u04ff]{2,}/g;
const LATIN_WORD = /[a-z]{2,}/gi;
/** A message "clearly" in one language: at least this many words in its script and none in the other. */
const CLEAR_WORDS = 2;
/** Messages in a row, each clearly in the other language, that switch a decided conversation. */
const SWITCH_AFTER = 2;

/**
 * `texts`: the visitor's messages, oldest first, up to the one being answered (a window of the
 * latest ones is enough: the walk starts again from the page's language at its oldest message).
 * `pageLocale`: the page's (or site's) language, the answer while no message tells.
 */
export function conversationLanguage(texts: readonly string[], pageLocale: string): Locale {
  let language: Locale = pageLocale.toLowerCase().startsWith('en') ? 'en' : 'ru';
  let decided = false;
  let otherInARow = 0;
  for (const text of texts) {
    const said = messageLanguage(text);
    if (!said) continue;
    if (!decided) {
      // The first message that says anything decides, as the visitor's own choice.
      language = said.language;
      decided = true;
      continue;
    }
    if (said.language === language || !said.clear) {
      otherInARow = said.language === language ? 0 : otherInARow;
      continue;
    }
    if (++otherInARow >= SWITCH_AFTER) {
      language = said.language;
      otherInARow = 0;
    }
  }
  return language;
}

interface MessageLanguage {
  language: Locale;
  clear: boolean;
}

// Each message is read again at every later message of its conversation: once per text while recent.
const languages = new Memo<MessageLanguage | null>();

/** What one message says about its language; null when it has no words (an address, digits, "??"). */
function messageLanguage(text: string): MessageLanguage | null {
  return languages.remember(text, () => readLanguage(text));
}

function readLanguage(text: string): MessageLanguage | null {
  const words = text.replace(NOT_WORDS, ' ');
  const cyrillic = words.match(CYRILLIC_WORD)?.length ?? 0;
  const latin = words.match(LATIN_WORD)?.length ?? 0;
  if (cyrillic === 0 && latin === 0) return null;
  // detectLocale knows transliterated Russian ("privet, ne rabotaet"): its fallback is that case.
  const language = detectLocale(words, 'ru');
  // Russian with a brand name in it is still clearly Russian; English with any Cyrillic is not clearly English.
  const clear = language === 'ru' ? Math.max(cyrillic, cyrillic > 0 ? 0 : latin) >= CLEAR_WORDS : cyrillic === 0 && latin >= CLEAR_WORDS;
  return { language, clear };
}
