/**
 * Message-level signals that character n-grams cannot see on their own. Each becomes a single
 * feature the model weighs like any other, so the data, not an if-statement, decides how much
 * a signal matters (an injection prefix in front of a real billing question stays BILLING).
 */

// Attempts to re-program the assistant. Matched on normalized text (lower case, no punctuation),
// in Russian and English; transliterated Russian is matched after transliteration. Russian
// patterns use "(^| )" instead of \b, which only knows ASCII word characters. Patterns stay narrow ("show me the instructions for my router" is a real question), since a false
// signal pulls a genuine request towards UNKNOWN.
const INJECTION_PATTERNS: readonly RegExp[] = [
  /\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|rules|prompts?|guidelines|directives|previous|prior|above|everything)\b/,
  /\bsystem (prompt|message|instructions?|override)\b|\b(your|initial|hidden|original) (prompt|instructions)\b/,
  /\b(you are|you re|youre|u r|you're) now\b|\bfrom now on you\b|\bnew instructions\b/,
  /\b(you|u) (act|behave|respond) as\b|^act as\b|\bpretend (to be|you|that)\b|\bimagine you are\b|\broleplay\b/,
  /\b(developer|god|admin|debug|unrestricted|jailbreak|jailbroken) mode\b|\bjailbreak/,
  /\b(reveal|print|show|repeat|output|dump|leak)\b.{0,30}\b(prompt|text above|everything above|your rules)\b/,
  /\b(you|u) (have|has) no (restrictions|rules|limits|filters)\b|\bwithout (any )?(censorship|filters)\b/,
  /\bselect\b.{0,30}\bfrom\b|\bdrop table\b|\bunion select\b|\brm rf\b|\bsudo\b/,
  /(^| )(игнорир|проигнорир|забудь|не обращай внимани|не следуй|обойди)\S*.{0,40}(инструкц|правил|промпт|указани|ограничени|все что|всё что|выше|предыдущ|прошл)/,
  /системн\S* (промпт|инструкц|сообщени)|(^| )промпт|(свои|твои|скрыт\S*|исходн\S*) (инструкц|правил|промпт)|текст выше/,
  /(^| )ты (теперь|отныне)( |$)|(^| )(теперь|отныне) ты( |$)|с этого момента ты( |$)|новые инструкции/,
  /(^| )притворись|представь что ты|веди себя как|сыграй роль|ты больше не (бот|ассистент|помощник)|режим (разработчика|бога|админа|отладки)|без цензуры/,
];

export function looksLikeInjection(normalized: string): boolean {
  return INJECTION_PATTERNS.some((pattern) => pattern.test(normalized));
}

/** Every signal name messageSignals can produce. */
export const SIGNAL_NAMES = ['injection', 'noletters', 'len1', 'len2', 'len4', 'len9'] as const;

/** Signal tokens for a normalized message; `cyrillicForm` is the message with Latin words transliterated. */
export function messageSignals(normalized: string, cyrillicForm: string, wordCount: number): Array<(typeof SIGNAL_NAMES)[number]> {
  const signals: Array<(typeof SIGNAL_NAMES)[number]> = [];
  if (looksLikeInjection(normalized) || looksLikeInjection(cyrillicForm)) signals.push('injection');
  if (!/\p{L}/u.test(normalized.replace(/:[a-z]+:/g, ''))) signals.push('noletters');
  // Length is a prior: greetings and thanks are short, outages and complaints tend to be long.
  signals.push(wordCount <= 1 ? 'len1' : wordCount <= 3 ? 'len2' : wordCount <= 8 ? 'len4' : 'len9');
  return signals;
}
