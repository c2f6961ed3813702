/**
 * What a visitor says outright, whatever the classifier's confidence: asking for a person
 * ("оператора!", "живого человека", "talk to a human") or complaining ("буду жаловаться", insults,
 * swearing, a shouted "ОТВРАТИТЕЛЬНО"). These let the escalation rules act on a message the model
 * is unsure of, and only on such words: an unsure COMPLAINT or HUMAN_REQUEST guess without them is
 * "not understood", never a handoff.
 *
 * Patterns run on normalized text (see message-words.ts), as written and transliterated; Russian
 * ones use "(^| )" since \b only knows ASCII letters. They stay narrow on purpose: "мобильный
 * оператор", "тариф на двоих человек" and "sorry for the stupid question" are not signals.
 */
import { matchesAny, messageWords, type MessageWords } from './message-words.ts';

// Whom a visitor asks for. Not "специалист"/"мастер": "нужен специалист" is a technician's visit.
const PERSON_RU = '(человек|люд|сотрудник|оператор|консультант|менеджер|администратор|руководител|начальств)';

const ASKS_FOR_HUMAN: readonly RegExp[] = [
  new RegExp(`(^| )(жив|реальн|настоящ)\\S* ${PERSON_RU}`),
  /(^| )(с|со) (человеком|людьми|сотрудником|специалистом|менеджером|консультантом|оператором|администратором|руководителем)( |$)/,
  new RegExp(`(^| )(позов|позвать|позови|дайте|дай |соедин|переключ|перевед|пригласи|хочу|нужен|нужна|свяжите|зовите)\\S*( \\S+){0,3} ${PERSON_RU}`),
  /(^| )(поговорить|пообщаться|говорить|общаться|связаться) (с|со) (кем( |$)|кем нибудь|живым|человеком|людьми|вашим|сотрудником|специалистом|менеджером|консультантом|оператором|поддержкой)/,
  /(^| )(не хочу|не буду|надоел|надоели|хватит|достал|достали|устал от|бесит)\S*( \S+){0,2} (бот|робот|автоответчик|машин)/,
  /\b(real|live|actual|human|living) (person|people|human|agent|operator|support|being|representative)\b/,
  /\b(talk|speak|chat|connect|transfer|put)( me)? (to|with|through to)( a| an| the| some| your| any)? (human|person|people|someone|somebody|agent|operator|representative|rep|manager|supervisor|staff|support team|support agent)\b/,
  /\b(connect|transfer|escalate) me\b|\bescalate (this|it|my)\b/,
  /\b(human|operator|representative|live agent)( please| pls| plz| now| asap)?$|^(human|operator|agent|representative)\b/,
  /\b(i )?(want|need|get) (a |an |to talk to a |to speak to a )?(human|person|agent|operator|representative|manager|supervisor)\b/,
  /\b(no|not a|stop the|hate this|enough with the|done with the|sick of the|tired of the) (bot|robot|machine|chatbot)\b/,
];

/**
 * A short message that is little more than whom the visitor wants: "оператора!", "менеджера
 * пожалуйста", "человек нужен". Longer, the word is as likely the subject ("ваши операторы хамят").
 */
const SHORT_HUMAN = /(^| )(человек|человека|оператор|оператора|оператору|оператором|менеджер|менеджера|консультант|консультанта|сотрудник|сотрудника)( |$)/;
const SHORT = 3;

/** "оператор" as the telecom company, not a person. */
const TELECOM_OPERATOR = /(мобильн|сотов|друг|нов)\S* оператор\S*|оператор\S* (связи|сотов|мобильн)/g;

export function asksForHuman(text: string | MessageWords): boolean {
  const words = typeof text === 'string' ? messageWords(text) : text;
  if (matchesAny(words, ASKS_FOR_HUMAN, TELECOM_OPERATOR)) return true;
  return words.words.length <= SHORT && !/\d/.test(words.normalized) && matchesAny(words, [SHORT_HUMAN], TELECOM_OPERATOR);
}

const COMPLAINS_OUTRIGHT: readonly RegExp[] = [
  // Saying it is a complaint, or where it is going next.
  /(^| )(жалоб|пожалов|жалуюсь|жалуемся|претензи|роспотребнадзор|прокуратур|антимонопольн|засужу|подам в суд|в суд( |$))/,
  /\b(complaint|complaints|complain|complaining|sue|suing|lawsuit|lawyer|attorney|ombudsman|regulator|bbb)\b/,
  // Insults at the company or its people, and swearing.
  /(^| )(идиот|дебил|придур|кретин|дураки|тупые|тупица|уроды|сволоч|мошенник|жулик|жулье|ворюг|воры( |$)|кидал|обманщик|лохотрон|шарашк|козлы|бездар|хамство|хамит|хамло|позорище|издеваетесь|издевательств|беспредел|безобрази|возмутительн)/,
  /(^| )(бля|блят|хуй|хуе|хуя|хрен|пизд|ебан|ебат|ебуч|нахуй|сука|суки|говн|дерьм|херн|отстой)/,
  /\b(idiots?|morons?|incompetent|useless|pathetic|scam|scammers?|scamming|thieves|rip ?off|ripoff|clowns|disgrace|disgraceful|shameful|unacceptable|ridiculous|outrageous|fraud)\b/,
  /\b(fuck\w*|shit\w*|bullshit|wtf|crap|sucks?)\b/,
  /\bworst (service|provider|company|support|experience|isp|internet)\b|(^| )худш\S* (сервис|провайдер|поддержк|компани|обслуживани|интернет|связь)/,
];

/** Words that are a complaint when shouted, and only maybe one when said calmly ("ужасная скорость"). */
const NEGATIVE_WHEN_SHOUTED: readonly RegExp[] = [
  /(^| )(ужас|кошмар|отвратит|отвратн|омерзит|надоел|достали|сколько можно|невозможно|позор)/,
  /\b(terrible|awful|horrible|disgusting|worst|hate|enough|sick of|fed up)\b/,
];

export function complainsOutright(text: string | MessageWords): boolean {
  const words = typeof text === 'string' ? messageWords(text) : text;
  if (/\bstupid question\b|(^| )(глуп|туп)\S* вопрос/.test(words.normalized)) return false;
  if (matchesAny(words, COMPLAINS_OUTRIGHT)) return true;
  return words.shouting && matchesAny(words, NEGATIVE_WHEN_SHOUTED);
}
