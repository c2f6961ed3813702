import { normalize } from '../classify/normalize.ts';
import { swapKeyboardLayout, transliterateToCyrillic } from '../classify/transliterate.ts';

/**
 * A visitor turning down the answer they were given: "не то", "это не ответ", "не помогло",
 * "not what I asked". Two rejected knowledge answers in a row escalate to a person.
 * Matched on normalized text (so "yt nj" typed on the wrong layout and "ne to" in Latin count
 * too), anchored to short phrases: "не то чтобы плохо" or "не тот роутер" are not rejections.
 */
const LEAD = '^(нет |неа |ну |да |это |вот |опять |снова |совсем |вообще |все равно |но )*';
const REJECTIONS: readonly RegExp[] = [
  // At the start of the message: "не то", "нет, это не то, мне нужно…", "опять не туда".
  new RegExp(`${LEAD}не (то|туда|так|это|об этом|о том|про то|про это)( |$)(?!чтобы)`),
  /(^| )не (тот|та|то|подходящий|правильный|верный) ответ|(^| )(это|этот ответ|ваш ответ|ответ) (не|ни) (ответ|тот|то|о том|про то|по теме|по делу|помог|помогает|помогло|подходит)( |$)/,
  /(^| )(не|ничего не|совсем не|вообще не|так и не|это не) (помогло|помогает|помог|помогла|сработало|подходит|подошло)( |$)/,
  /(^| )(вы|ты) (меня )?не (поняли|понял|понимаете|понимаешь)( |$)|(^| )я не (это|то|про это|об этом) (спрашивал|спрашивала|имел в виду|имела в виду)/,
  /(^| )(мой вопрос|вопрос|я спрашивал|я спрашивала) (не об этом|не про это|был не об этом|не о том|о другом|про другое|другое)( |$)/,
  /^(ерунда|бесполезно|бред|чушь|мимо|не в тему|невпопад)( |$)/,
  /\b(not|isnt|isn't|wasnt|wasn't) (what i (asked|meant|need|needed|wanted)|helpful|an answer|the answer|relevant|my question)\b|^(no )?(thats|that's|this is|it's|its) not it\b/,
  /\b(that|this|it) (doesnt|doesn't|does not|didnt|didn't|did not) (help|answer)\b|\b(didnt|didn't|doesnt|doesn't|did not|does not) (help|answer my question|answer the question)\b/,
  /\b(wrong answer|not helpful|unhelpful|useless|irrelevant|you (didnt|didn't|did not|dont|don't|do not) understand)\b/,
];

export function looksLikeRejection(text: string): boolean {
  const normalized = normalize(text);
  if (normalized === '') return false;
  const cyrillic = normalized.split(' ').map((word) => (/^[a-z]+$/.test(word) ? transliterateToCyrillic(word) : word)).join(' ');
  // Rejections are too short for normalize() to be sure of a layout slip ("yt nj" = "не то"),
  // so a message typed only with letter keys is also read re-typed.
  const lower = text.trim().toLowerCase();
  const retyped = /^[a-z;',.[\]`\s!?]+$/.test(lower) ? normalize(lower.split(/\s+/).map(swapKeyboardLayout).join(' ')) : '';
  return REJECTIONS.some((pattern) => pattern.test(normalized) || pattern.test(cyrillic) || (retyped !== '' && pattern.test(retyped)));
}
