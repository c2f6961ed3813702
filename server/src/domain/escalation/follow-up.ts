/**
 * A short follow-up to what was just discussed: "а скорость какая?", "а через сбп можно?", "and
 * the installation fee?", "ок, а когда начнёт действовать?", "роутер tp-link". On its own such a
 * message says too little for the classifier; in a conversation it continues the topic (see
 * read-in-context.ts). This only says whether a message is that short — at most
 * MAX_FOLLOW_UP_WORDS words after an optional leading "ок"/"понятно"/"thanks" — and has a word in
 * it. Whether it fits the topic is for the reader.
 */
import { foldWord, messageWords, type MessageWords } from './message-words.ts';

const set = (list: string) => new Set(list.split(/\s+/).filter(Boolean).map(foldWord));

const LEADING_ACKNOWLEDGEMENT = set(`ок окей ok okay понятно понял поняла ясно хорошо ладно ага угу спасибо спс thanks
  thank you thx cool great got it alright well so ну`);

/** Longer than this says enough to be a request of its own, understood or not. */
export const MAX_FOLLOW_UP_WORDS = 8;

export function looksLikeFollowUp(text: string | MessageWords): boolean {
  const message = typeof text === 'string' ? messageWords(text) : text;
  const words = message.words.map(foldWord);
  let start = 0;
  while (start < words.length && LEADING_ACKNOWLEDGEMENT.has(words[start]!)) start += 1;
  const rest = words.slice(start);
  return rest.length > 0 && rest.length <= MAX_FOLLOW_UP_WORDS && rest.some(looksLikeAWord);
}

// Keyboard mash and stretched noise ("ъъъ ыыы", "ккк") carry no question to continue.
const VOWEL = /[аеиоуыэюяaeiouy]/;
const CONSONANT = /[бвгджзйклмнпрстфхцчшщbcdfghjklmnpqrstvwxz]/;

function looksLikeAWord(word: string): boolean {
  return word.length >= 2 && VOWEL.test(word) && CONSONANT.test(word);
}
