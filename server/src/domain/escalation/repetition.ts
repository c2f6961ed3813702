/**
 * Signs about a message in a repetition: that the last answer did not help ("still", "again",
 * "я же говорю", "??", shouting), or that it only reports what was tried ("роутер перезагрузил"),
 * a detail rather than a request. Whether two messages ask the same thing by meaning is
 * same-request.ts; the plain wording overlap below (character trigrams) serves callers that
 * compare wording only.
 */
import { Memo } from '../memo.ts';

const FRUSTRATION = [
  /\b(still|again|once more|already (told|said|asked|wrote)|i (just )?said|as i said|i(')?ve (said|asked|told)|(second|third|fourth) time|how many times|nothing (changed|helped)|didn'?t help|doesn'?t help|not helping|any (update|news)|anyone there|hello\?|come on|seriously)\b/i,
  /(до сих пор|опять|снова|ещ[её] раз|я же (говорю|говорил[аи]?|сказал[аи]?|писал[аи]?)|уже (писал|писала|говорил|говорила|спрашивал|спрашивала)|трет(ий|ий раз)|в который раз|сколько можно|не помогл[оа]|ничего не (изменилось|помогло)|вс[её] ещ[её]|вс[её] равно|так и не|по-?прежнему|повторяю|ну и\?|ну что( там)?\?|алло\?|ау\?|вы тут|есть кто)/i,
  // "??" and "!!" already say the question is asked again, impatiently (the issue's "…last month??").
  /\?{2,}|!{2,}|\?!|!\?/,
];

// A repetition's messages are looked at again at every new message of the conversation.
const frustrated = new Memo<boolean>();
const tried = new Memo<boolean>();

export function showsFrustration(text: string): boolean {
  return frustrated.remember(text, () => readsAsFrustrated(text));
}

function readsAsFrustrated(text: string): boolean {
  if (FRUSTRATION.some((re) => re.test(text))) return true;
  const letters = text.replace(/[^\p{L}]/gu, '');
  const upper = text.replace(/[^\p{Lu}]/gu, '');
  return letters.length >= 8 && upper.length / letters.length > 0.7; // SHOUTING
}

// What the visitor did ("приставку перезагружала", "I restarted the router"): a past-tense action
// with nothing about it still failing. Such a message is a detail of the request, not the request.
const TRIED = [
  /(^| )(перезагру|перезапус|выключ|включ|отключ|подключ|переподключ|сброс|сбрасыва|провер|пробова|попробова|сдела|делал|поменя|смени|менял|вытащ|выну|вынима|встав|переустанов|обнов|почист|нажа|нажима|набра|вве|звони|написа|писал|передерн|передёрн|перетык|воткну|оплати|оплачива|заплати|плати)\S*?(л|ла|ли|лся|лась|лись)( |$)/i,
  /\b(restarted|rebooted|tried|checked|unplugged|replugged|plugged|reset|did|changed|switched|updated|reinstalled|cleared|pressed|entered|called|turned (it )?(off|on)|power ?cycled)\b/i,
];
const STILL_FAILING = /(^| )(не|нет|ни)( |$)|(^| )(вс[её] (ещ[её]|равно)|опять|снова|без толку|бесполезно)|\b(not|no|still|nothing|doesn'?t|didn'?t|won'?t|can'?t|isn'?t|same|again|but)\b|\?/i;

export function reportsWhatWasTried(text: string): boolean {
  return tried.remember(text, () => TRIED.some((re) => re.test(text)) && !STILL_FAILING.test(text));
}

export function similarity(a: string, b: string): number {
  return overlap(trigrams(a), trigrams(b));
}

/** Shared character trigrams over the smaller set: 1 when one text's wording is inside the other. */
export function overlap(ta: ReadonlySet<string>, tb: ReadonlySet<string>): number {
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / Math.min(ta.size, tb.size);
}

/** Threshold picked so "нет интернета" ~ "интернета нет!!" but "сколько стоит тариф" ≠ "где счёт". */
const SIMILAR = 0.6;

export function isSimilarWording(later: string | ReadonlySet<string>, earlier: string | ReadonlySet<string>): boolean {
  const grams = (t: string | ReadonlySet<string>) => (typeof t === 'string' ? trigrams(t) : t);
  return overlap(grams(later), grams(earlier)) >= SIMILAR;
}

/** The character trigrams of a text's words (lower-cased, ё → е); compute once, compare many times. */
export function trigrams(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  const grams = new Set<string>();
  for (const w of words) {
    const padded = ` ${w} `;
    for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  }
  return grams;
}
