import { SHORTCODE, emojiToShortcodes } from './emoji.ts';
import { Memo } from '../memo.ts';
import { stripMarkup } from './markup.ts';
import { looksLikeLayoutSlip, swapKeyboardLayout } from './transliterate.ts';

/**
 * One canonical spelling of a visitor message for the classifier (and for anything that keys a
 * cache by message): lower case, "ё" as "е", no markup, emoji as ":mood:" shortcodes, Russian
 * typed on the English layout re-typed, stretched letters ("приииивет") shortened, punctuation
 * gone, single spaces. Latin-script Russian ("privet") stays Latin here: features.ts looks at
 * it both as written and transliterated, so English words are never mangled.
 */
export function normalize(text: string): string {
  return normalized.remember(text, () => normalizeText(text, true));
}

// A new message is normalized by the classifier and again by the rules that read it; every
// recent message by the rules at each message after it. Computed once per text while it is recent.
const normalized = new Memo<string>();

/**
 * normalize() without the keyboard-layout re-typing. Article text is written deliberately, and a
 * lone vowel-less acronym ("включите DHCP") would otherwise be re-typed as a slip; a question's
 * reader can also compare both spellings and keep the one its vocabulary knows.
 */
export function normalizeKeepingLayout(text: string): string {
  return normalizeText(text, false);
}

function normalizeText(text: string, retypeLayout: boolean): string {
  let out = text.normalize('NFKC');
  out = stripMarkup(out);
  out = emojiToShortcodes(out);
  out = out.toLowerCase().replace(/ё/g, 'е');
  out = out.replace(/[’‘`´ʼ]/g, "'");
  if (retypeLayout) out = retypeLayoutSlips(out);
  // Hyphenated spellings should meet the solid ones: "wi-fi"/"wifi", "вай-фай"/"вайфай".
  out = out.replace(/(?<=\p{L})[-‐–](?=\p{L})/gu, '');
  // "hiiii", "спасибоооо", "!!!!": 3+ repeats say emphasis, not a different word.
  out = out.replace(/(\p{L})\1{2,}/gu, '$1');
  // Apostrophes survive only inside Latin words, where translit uses them for "ь" (set', pod'ezd).
  out = out.replace(/(?<![a-z])'|'(?![a-z])/g, ' ');
  out = out.replace(/[^\p{L}\p{N}':]+/gu, ' ');
  return out
    .split(' ')
    // A colon is only kept as part of a ":mood:" shortcode.
    .map((token) => (SHORTCODE.test(token) ? token : token.replace(/:/g, ' ')))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Re-types whole messages written on the wrong keyboard layout. Decided per message: it takes a
 * majority of vowel-less chunks, so one "mbps" in an English sentence is left alone.
 */
function retypeLayoutSlips(text: string): string {
  const chunks = text.split(/\s+/).filter((chunk) => /[a-z]/.test(chunk));
  if (chunks.length === 0) return text;
  const slips = chunks.filter((chunk) => looksLikeLayoutSlip(trimPunctuation(chunk)));
  if (slips.length === 0 || slips.length * 2 < chunks.length) return text;
  return text
    .split(/(\s+)/)
    .map((chunk) => {
      const core = trimPunctuation(chunk);
      // Inside a slipped message every key-letter chunk is slipped, vowels or not ("yt" = "не").
      return core && /^[a-z;',.[\]`]+$/.test(core) ? chunk.replace(core, swapKeyboardLayout(core)) : chunk;
    })
    .join('');
}

// Sentence punctuation around a chunk is not part of it; inner ",.;[]'" are letters on that layout
// (a trailing "." could be "ю", but it is a full stop far more often).
function trimPunctuation(chunk: string): string {
  return chunk.replace(/^[^a-z[;',.`\]]+|[^a-z;',.[\]`]+$/g, '').replace(/[.,]+$/, '');
}
