/**
 * Latin → Cyrillic conversions for Russian typed without a Russian keyboard.
 *
 * Two different habits reach the chat:
 * - transliteration ("privet internet ne rabotaet"): phonetic, many competing schemes;
 * - wrong keyboard layout ("ghbdtn" = "привет"): the keys of ЙЦУКЕН pressed on QWERTY.
 *
 * The model sees Latin words in both their own and their transliterated form (see features.ts),
 * so these functions aim at "close enough for character n-grams", not at a reversible scheme.
 */
import { Memo } from '../memo.ts';

// Longest match first: "shch" must win over "sh", "zh" over "z".
const TRANSLIT_RULES: ReadonlyArray<readonly [string, string]> = [
  ['shch', 'щ'],
  ['tsya', 'тся'],
  ['sch', 'щ'],
  ['zh', 'ж'],
  ['kh', 'х'],
  ['ch', 'ч'],
  ['sh', 'ш'],
  ['ts', 'ц'],
  ['ya', 'я'],
  ['ja', 'я'],
  ['yu', 'ю'],
  ['ju', 'ю'],
  ['yo', 'е'],
  ['jo', 'е'],
  ['ye', 'е'],
  ['je', 'е'],
  ['ck', 'к'],
  ['ph', 'ф'],
];

const TRANSLIT_LETTERS: Readonly<Record<string, string>> = {
  a: 'а', b: 'б', c: 'ц', d: 'д', e: 'е', f: 'ф', g: 'г', h: 'х', i: 'и', j: 'й', k: 'к', l: 'л', m: 'м',
  n: 'н', o: 'о', p: 'п', q: 'к', r: 'р', s: 'с', t: 'т', u: 'у', v: 'в', w: 'в', x: 'х', y: 'ы', z: 'з',
  "'": 'ь',
};

const LATIN_VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);

/** Phonetic Latin → Cyrillic for one lower-case word; characters it does not know pass through. */
export function transliterateToCyrillic(word: string): string {
  return transliterated.remember(word, () => transliterate(word));
}

// Words recur across messages ("ne", "rabotaet", "internet"), and each new message's Latin words
// are transliterated by the classifier's features and by the rules' readings: once per word.
const transliterated = new Memo<string>();

function transliterate(word: string): string {
  let out = '';
  let i = 0;
  while (i < word.length) {
    const rule = TRANSLIT_RULES.find(([latin]) => word.startsWith(latin, i));
    if (rule) {
      out += rule[1];
      i += rule[0].length;
      continue;
    }
    const ch = word[i]!;
    // "y" after a vowel is the short "й" (moy, kakoy, dobryy); elsewhere it is "ы" (vy, my).
    if (ch === 'y' && i > 0 && LATIN_VOWELS.has(word[i - 1]!)) out += 'й';
    else out += TRANSLIT_LETTERS[ch] ?? ch;
    i += 1;
  }
  return out;
}

const QWERTY_TO_JCUKEN: Readonly<Record<string, string>> = {
  q: 'й', w: 'ц', e: 'у', r: 'к', t: 'е', y: 'н', u: 'г', i: 'ш', o: 'щ', p: 'з', '[': 'х', ']': 'ъ',
  a: 'ф', s: 'ы', d: 'в', f: 'а', g: 'п', h: 'р', j: 'о', k: 'л', l: 'д', ';': 'ж', "'": 'э',
  z: 'я', x: 'ч', c: 'с', v: 'м', b: 'и', n: 'т', m: 'ь', ',': 'б', '.': 'ю', '`': 'е',
};

/** Re-types a chunk typed on the wrong layout: "ghbdtn" → "привет", "hf,jnftn" → "работает". */
export function swapKeyboardLayout(chunk: string): string {
  let out = '';
  for (const ch of chunk) out += QWERTY_TO_JCUKEN[ch] ?? ch;
  return out;
}

// Real Latin tokens that happen to have (almost) no vowels; never treat them as a layout slip.
const VOWELLESS_LATIN_WORDS = new Set([
  'mbps', 'gbps', 'kbps', 'mbit', 'ghz', 'mhz', 'thx', 'thnx', 'thnks', 'tnx', 'pls', 'plz', 'wtf', 'ttyl',
  'sms', 'dns', 'http', 'https', 'www', 'wps', 'lte', 'ppp', 'pppoe', 'hmm', 'hmmm', 'brb', 'msg', 'ppl',
  'tv', 'pc', 'ty', 'gm', 'sry', 'pwd', 'hdd', 'ssd', 'nbn', 'mtc', 'mts', 'psn', 'xbox', 'crm', 'st', 'dr',
  'smh', 'bf', 'gf', 'tbh', 'np', 'ssh', 'ftp', 'cctv', 'hd', 'sd', 'fm', 'gps', 'lmfao', 'grr',
]);

const LAYOUT_CHUNK = /^[a-z;',.[\]`]+$/;

/**
 * Whether a chunk looks like Russian typed on an English layout. Russian vowels land on
 * consonant keys (а→f, о→j, и→b, е→t), so such chunks have almost no Latin vowels, which
 * English words and transliteration never lack.
 */
export function looksLikeLayoutSlip(chunk: string): boolean {
  if (!LAYOUT_CHUNK.test(chunk)) return false;
  const letters = chunk.replace(/[^a-z]/g, '');
  if (letters.length < 3 || VOWELLESS_LATIN_WORDS.has(letters)) return false;
  let vowels = 0;
  for (const ch of letters) if ('aeiou'.includes(ch)) vowels += 1;
  return vowels / letters.length <= 0.17;
}
