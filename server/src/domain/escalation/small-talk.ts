/**
 * Messages that are only small talk — thanks, goodbye, hello, "ок, понятно" — in any of the
 * spellings visitors use. They ask nothing, so they are never a repeated request ("спасибо" three
 * times is politeness, not a visitor stuck) and never "not understood", whatever the classifier
 * made of them. A message with anything else in it ("спасибо, но интернета всё ещё нет") is not
 * small talk.
 */
import { foldWord, messageWords, type MessageWords } from './message-words.ts';

export type SmallTalk = 'GREETING' | 'THANKS' | 'FAREWELL' | 'ACKNOWLEDGEMENT';

const words = (list: string) => new Set(list.split(/\s+/).filter(Boolean).map(foldWord));

// Each list is matched against the word as written and transliterated ("spasibo" → "спасибо").
const THANKS = words(`спасибо спасиб спасибки спасибочки спс пасиб пасибо благодарю благодарствую благодарен благодарна
  благодарим признателен признательна мерси сенкс сенкью thanks thank thx ty tnx thnx thanx cheers appreciate appreciated grateful`);
const FAREWELL = words(`пока покеда пока-пока свидания досвидания прощайте удачи bye goodbye byebye bb cya later farewell
  встречи спокойной ночи night всего`);
const GREETING = words(`привет приветик приветствую здравствуйте здраствуйте здрасте здрасьте драсте здравствуй хай
  хеллоу салют алло ау ку добрый доброе hi hello hey hiya howdy yo morning evening afternoon`);
const ACKNOWLEDGEMENT = words(`ок окей ok okay okey kk ага угу понятно понял поняла ясно хорошо ладно отлично супер класс
  круто норм замечательно прекрасно great perfect awesome cool nice good fine alright got gotcha sure clear noted`);
// Words that ride along without changing what the message is.
const FILLER = words(`большое огромное очень вам тебе вас всем всё все за помощь помощи помогли помогла помог ответ
  информацию быстро и а ну вот же так уже тогда еще раз было доброго хорошего дня вечера утра вечер день
  утро доброе добрый доброй до и нет да понятненько ребята друзья бот мне
  you so much a lot very many again for the your it its i that thats this all everyone guys folks and well wow
  yes yeah yep no nope have nice day night weekend take care see soon talk to help helped info answer quick sir
  good got it now then bye`);

// Fillers also by their first letters, so endings do not matter ("огромное"/"огромные").
const STEM = 6;
const FILLER_STEMS = new Set([...FILLER].filter((word) => word.length >= STEM).map((word) => word.slice(0, STEM)));
const isFiller = (word: string) => FILLER.has(word) || (word.length >= STEM && FILLER_STEMS.has(word.slice(0, STEM)));

export function smallTalk(text: string | MessageWords): SmallTalk | null {
  const message = typeof text === 'string' ? messageWords(text) : text;
  if (message.words.length === 0) return null;
  const kinds = new Set<SmallTalk>();
  for (let i = 0; i < message.words.length; i += 1) {
    const forms = [foldWord(message.words[i]!), foldWord(message.cyrillic[i]!)];
    const has = (set: ReadonlySet<string>) => forms.some((form) => set.has(form));
    if (has(FAREWELL)) kinds.add('FAREWELL');
    else if (has(THANKS)) kinds.add('THANKS');
    else if (has(GREETING)) kinds.add('GREETING');
    else if (has(ACKNOWLEDGEMENT)) kinds.add('ACKNOWLEDGEMENT');
    else if (!forms.some(isFiller)) return null;
  }
  // "спасибо, до свидания" is a goodbye; "привет, спасибо" is thanks.
  for (const kind of ['FAREWELL', 'THANKS', 'GREETING', 'ACKNOWLEDGEMENT'] as const) if (kinds.has(kind)) return kind;
  return null;
}
