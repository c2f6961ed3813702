/**
 * Is a message the same request as an earlier one, in other words? Visitors restate what the bot
 * did not help with: shorter ("refund please"), louder ("ПАРОЛЬ НЕ ВОССТАНАВЛИВАЕТСЯ"), in translit
 * ("parol ne vosstanavlivaetsya"), in the other language ("internet ne rabotaet" / "интернет не
 * работает"), with typos, or with "я же говорю"/"still" around it. What stays is the handful of
 * words that carry the request, so those are compared, not the wording:
 *
 * - content words: the classifier's normalization, Latin words also transliterated, function
 *   words, politeness, frustration ("please", "я же говорю", "всё равно") and "it does not work"
 *   (every restated problem says it) left out;
 * - two words match when they share a root (a common prefix of 5+ letters: "восстановить" /
 *   "восстанавливается"), differ by a typo (character trigrams), or name the same thing in the
 *   support domain's small bilingual vocabulary ("refund"/"money back"/"возврат");
 * - a later message is the same request when it says nothing the earlier one did not (every
 *   content word matched: shorter, louder, restated), or when both say several things and most of
 *   them match (Dice ≥ 0.55). A new word of substance makes it a new question: "how to pay" →
 *   "apple pay?" is not a repeat; different numbers ("тариф 100" / "тариф 500") neither.
 */
import { Memo } from '../memo.ts';
import { foldWord, messageWords, wordsOf } from './message-words.ts';

export interface RequestContent {
  words: ContentWord[];
  numbers: ReadonlySet<string>;
}

interface ContentWord {
  /** The word as written and transliterated, folded (see foldWord). */
  forms: string[];
  concept: string | undefined;
}

const set = (list: string) => new Set(list.split(/\s+/).filter(Boolean).map(foldWord));

// Words that do not say what the request is about: function words, question words, politeness,
// frustration and emphasis (which say *that* it is repeated, see repetition.ts), pronouns.
const STOP = set(`
  а и но или да нет не ни же ли бы ведь вот ну то это этот эта эти тот так там тут здесь сейчас теперь уже еще ещё
  я мы вы ты он она они оно мне меня мой моя мое мои моего моей нас наш наша вам вас ваш ваша ваши вашего вашей
  ему ей им их его ее у в во на с со к ко по за из от до о об про для без при над под через чтобы что чем как
  где когда какой какая какие какое каков сколько почему зачем кто куда откуда можно нужно надо могу может можете
  хочу хотел хотела хотим есть был была было были будет быть очень просто вообще тоже также всё все всем весь вся
  пожалуйста плиз пжлст пож помогите подскажите скажите срочно алло ау эй блин опять снова сих пор равно говорю
  говорил говорила сказал сказала писал писала пишу спрашиваю повторяю раз третий второй который
  здравствуйте привет спасибо ок окей ладно хорошо понятно
  i me my mine we our you your it its is are am was were be been being do does did done doing a an the to of in on
  at for with from by and or but so not no nor can cant could would will wont should shall may might must how what
  whats where when why which who whom there here this that these those any some please pls plz help hi hello hey
  thanks thank still again already just really very yet now even told said asking ask im ive id dont doesnt didnt
  isnt arent wasnt get got getting have has had u ur ok okay also too about as if then than never keep keeps kept
  always constantly time times day days hours hour week всегда постоянно время вечно день дня дней час часа часов
  неделю совсем пытаюсь пытался пыталась пробовал пробовала пробую нужен нужна нужны сделать делать вроде типа
  короче чтото както почемуто какойто изза
  havent hasnt hadnt couldnt wouldnt shouldnt ill youre were theyre thats theres heres lets after before since
  because cause until into onto out up over only like one all every each much many more most other another same
  want need needs try tried trying`);

// A small vocabulary of the support domain: words of one meaning, either language, by prefix.
// Longer prefixes first where one would swallow another ("connection" is the line, "connect" an install).
export const CONCEPT_WORDS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['internet', ['интернет', 'инет', 'internet', 'inet', 'сеть', 'сети', 'network', 'connection', 'соединени', 'связь', 'связи', 'online', 'онлаин']],
  ['wifi', ['wifi', 'ваифаи', 'вифи', 'wireless', 'беспровод']],
  ['password', ['парол', 'password', 'passwd', 'пасворд']],
  ['twice', ['дважди', 'двоин', 'повторн', 'twice', 'double', 'duplicate']],
  ['arrive', ['приход', 'пришел', 'пришл', 'придет', 'прийти', 'arriv', 'receiv', 'получ', 'came', 'come', 'comes']],
  ['refund', ['возврат', 'вернут', 'верни', 'вернит', 'refund', 'reimburs', 'компенсац', 'compensat', 'moneyback']],
  ['money', ['деньг', 'денег', 'денеж', 'money', 'средств', 'funds', 'рубл', 'руб', 'rub', 'dollar', 'euro', 'евро']],
  ['pay', ['оплат', 'оплач', 'заплат', 'платеж', 'pay', 'paid', 'payment']],
  ['invoice', ['счет', 'invoice', 'bill', 'квитанц', 'receipt']],
  ['plan', ['тариф', 'plan', 'tariff', 'package', 'пакет']],
  ['price', ['цена', 'цену', 'цены', 'ценник', 'стоимост', 'стоит', 'cost', 'price', 'pricing', 'fee']],
  ['speed', ['скорост', 'speed', 'мбит', 'mbps', 'мегабит', 'медлен', 'тормоз', 'slow', 'лага', 'lag']],
  ['tv', ['телевиз', 'телевид', 'тв', 'tv', 'television', 'iptv', 'канал', 'channel']],
  ['signal', ['сигнал', 'signal']],
  ['router', ['роутер', 'маршрутизат', 'router', 'модем', 'modem']],
  ['account', ['кабинет', 'лк', 'account', 'аккаунт', 'профил', 'profile']],
  ['login', ['логин', 'login', 'войти', 'вход', 'заити', 'signin', 'пуска', 'доступ', 'access']],
  ['restore', ['восстанов', 'сброс', 'reset', 'recover', 'restore', 'forgot', 'забил', 'забыл', 'помн', 'remember']],
  ['power', ['включ', 'power', 'горит', 'горят', 'light', 'лампоч', 'индикатор', 'мертв', 'dead']],
  // How bad it is: "слабый"/"плохой"/"ужасный" wifi is one complaint about the wifi.
  ['bad', ['плох', 'слаб', 'ужасн', 'отвратит', 'никак', 'weak', 'bad', 'poor', 'terribl', 'awful', 'horribl']],
  ['install', ['подключ', 'установ', 'install', 'connect', 'setup']],
  ['cancel', ['отключ', 'расторг', 'cancel', 'terminat', 'unsubscrib']],
  ['balance', ['баланс', 'balance', 'задолжен', 'долг', 'debt']],
  ['charge', ['списал', 'списан', 'charge', 'сняли', 'withdraw']],
  ['dropping', ['пропад', 'пропал', 'отвал', 'обрив', 'обрыв', 'drop', 'disconnect', 'рвет', 'рветс']],
  ['restart', ['перезагру', 'перезапуск', 'ребут', 'reboot', 'restart']],
  ['site', ['саит', 'страниц', 'page', 'site', 'website']],
  ['change', ['смен', 'помен', 'измен', 'change', 'update', 'edit', 'modify', 'редакт', 'обнов']],
];

// "Not working" said a dozen ways ("не работает", "не проходит", "fails", "ошибка"): every
// restatement of a problem says it, so it tells nothing about which problem. What is broken is
// in the other words ("не могу оплатить картой" ~ "оплата не проходит").
const SAYS_IT_IS_BROKEN = ['работ', 'work', 'broken', 'сломал', 'fail', 'ловит', 'груз', 'load', 'открыва', 'open', 'глюч', 'висн', 'завис', 'freez', 'проход', 'получа', 'ошибк', 'error', 'declin', 'отклон'].map(foldWord);

const CONCEPTS = CONCEPT_WORDS.map(([concept, prefixes]) => [concept, prefixes.map(foldWord)] as const);

// Phrases of two words that are one thing: rewritten before the words are read.
const PHRASES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bmoney back\b|\bmy money\b/g, 'moneyback'],
  [/(^| )(вернуть|верните|вернете|возврат) (мои )?деньги( |$)/g, ' возврат '],
  [/\b(log|sign) ?(in|into|on)\b/g, 'signin'],
  [/(^| )(два|2) раза( |$)/g, ' дважды '],
  [/\bset ?top ?box\b/g, 'приставка'],
  [/(^| )личн\S* кабинет\S*/g, ' лк'],
];

const NUMBER = /^\d+$/;

const contents = new Memo<RequestContent>();

export function requestContent(text: string): RequestContent {
  return contents.remember(text, () => readContent(text));
}

function readContent(text: string): RequestContent {
  let normalized = messageWords(text).normalized;
  for (const [pattern, replacement] of PHRASES) normalized = normalized.replace(pattern, replacement);
  const message = wordsOf(normalized.replace(/ +/g, ' ').trim());
  const words: ContentWord[] = [];
  const numbers = new Set<string>();
  message.words.forEach((written, i) => {
    const word = written.replace(/'/g, ''); // "can't" is "cant"
    if (NUMBER.test(word)) {
      numbers.add(word);
      return;
    }
    const forms = [...new Set([foldWord(word), foldWord(message.cyrillic[i]!.replace(/'/g, ''))])];
    if (forms.some((form) => STOP.has(form)) || forms.every((form) => form.length < 2)) return;
    if (forms.some((form) => SAYS_IT_IS_BROKEN.some((prefix) => form.startsWith(prefix)))) return;
    words.push({ forms, concept: conceptOf(forms) });
  });
  return { words, numbers };
}

/** Concept prefixes → the first concept listing them: whole words (up to three letters) and beginnings. */
const WHOLE_WORDS = new Map<string, number>();
const BEGINNINGS = new Map<string, number>();
CONCEPTS.forEach(([, prefixes], index) => {
  for (const prefix of prefixes) {
    const map = prefix.length <= 3 ? WHOLE_WORDS : BEGINNINGS;
    if (!map.has(prefix)) map.set(prefix, index);
  }
});
const SHORTEST_BEGINNING = 4;
const LONGEST_BEGINNING = Math.max(...[...BEGINNINGS.keys()].map((prefix) => prefix.length));

/**
 * The first concept (in CONCEPT_WORDS order) one of the forms names. Prefixes of up to three
 * letters ("тв", "лк", "tv") name the word itself, not its beginning. A word's own beginnings are
 * looked up rather than every prefix tried: a few lookups instead of hundreds of comparisons.
 */
export function conceptOf(forms: readonly string[]): string | undefined {
  let first = Infinity;
  for (const form of forms) {
    first = Math.min(first, WHOLE_WORDS.get(form) ?? Infinity);
    for (let length = SHORTEST_BEGINNING; length <= Math.min(form.length, LONGEST_BEGINNING); length += 1) {
      first = Math.min(first, BEGINNINGS.get(form.slice(0, length)) ?? Infinity);
    }
  }
  return CONCEPTS[first]?.[0];
}

export function wordsMatch(a: ContentWord, b: ContentWord): boolean {
  if (a.concept !== undefined && a.concept === b.concept) return true;
  return a.forms.some((x) => b.forms.some((y) => sameWord(x, y)));
}

/**
 * One root — a common prefix of 5+ letters, or a whole word of 4+ letters starting the other, or
 * of 3 with an ending of at most 3 ("код"/"кодом") — or one typo away.
 */
function sameWord(x: string, y: string): boolean {
  if (x === y) return true;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  let common = 0;
  while (common < short.length && short[common] === long[common]) common += 1;
  if (common >= 5) return true;
  if (common === short.length && (short.length >= 4 || (short.length === 3 && long.length - short.length <= 3))) return true;
  return short.length >= 5 && dice(trigrams(x), trigrams(y)) >= 0.6;
}

// The same words meet again at every new message of a conversation: their trigrams are kept.
const wordTrigrams = new Memo<Set<string>>();

function trigrams(word: string): Set<string> {
  return wordTrigrams.remember(word, () => {
    const padded = ` ${word} `;
    const grams = new Set<string>();
    for (let i = 0; i + 3 <= padded.length; i += 1) grams.add(padded.slice(i, i + 3));
    return grams;
  });
}

function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared += 1;
  return (2 * shared) / (a.size + b.size);
}

/** Most content words matched when both messages say several things ("A B C" ~ "A B D E", not "A B" ~ "A C"). */
const SIMILAR = 0.55;

// The rules compare the recent requests pairwise again at every new message: each pair's answer
// is kept with the later request's content (itself kept per text, so both go together).
const compared = new WeakMap<RequestContent, Map<RequestContent, boolean>>();

export function isSameRequest(later: RequestContent, earlier: RequestContent): boolean {
  let answers = compared.get(later);
  if (!answers) compared.set(later, (answers = new Map()));
  let same = answers.get(earlier);
  if (same === undefined) answers.set(earlier, (same = compareRequests(later, earlier)));
  return same;
}

function compareRequests(later: RequestContent, earlier: RequestContent): boolean {
  if (later.words.length === 0 || earlier.words.length === 0) return false;
  if (later.numbers.size > 0 && earlier.numbers.size > 0 && ![...later.numbers].some((n) => earlier.numbers.has(n))) return false;
  const matchedLater = later.words.filter((w) => earlier.words.some((e) => wordsMatch(w, e))).length;
  if (matchedLater === 0) return false;
  if (matchedLater === later.words.length) return true; // nothing new: restated, shorter, louder
  // Numbers both mention ("500 рублей") are words they share; a number only one has is no news.
  const sharedNumbers = [...later.numbers].filter((n) => earlier.numbers.has(n)).length;
  const numbers = sharedNumbers > 0 ? { shared: sharedNumbers, later: later.numbers.size, earlier: earlier.numbers.size } : { shared: 0, later: 0, earlier: 0 };
  const laterSize = later.words.length + numbers.later;
  const earlierSize = earlier.words.length + numbers.earlier;
  if (laterSize < 2 || earlierSize < 2) return false;
  const matchedEarlier = earlier.words.filter((e) => later.words.some((w) => wordsMatch(w, e))).length;
  return (matchedLater + matchedEarlier + 2 * numbers.shared) / (laterSize + earlierSize) >= SIMILAR;
}
