/**
 * Words that say nothing about which article answers a question. They are left out of both the
 * index and the question, so coverage ("how much of the question does this passage answer")
 * counts only words that carry the need.
 */

import { foldCyrillic } from '../classify/features.ts';

// Stored folded (ь/ъ dropped, й/ы → и, э → е) and looked up folded, so transliterated spellings
// ("skolko" → "сколко", "est" → "ест") find "сколько" and "есть".
const words = (text: string): ReadonlySet<string> => new Set(text.split(/\s+/).filter(Boolean).map(foldCyrillic));

export const RUSSIAN_STOPWORDS = words(`
  а без более бы был была были было быть в вам вас весь во вот все всего всех всю вы где да даже
  для до его ее если есть еще ж же за здесь и из или им их к как какая какие каким какое какой
  каку какую когда кто куда ли либо лучше между меня мне много может можно мой моя мое моего мои
  моих мою мы на над надо нам нас не него нее нельзя нет ни нибудь них но ну о об однако он она
  они оно от откуда очень по под после при про раз с сам себе себя со совсем так
  также такой там тебе тебя тем теперь то тогда того тоже только том тот ту тут ты у уж уже хоть
  чего чем через что чтоб чтобы чуть эта эти это этого этой этом этот эту я
  сколько скольких скольким почему зачем каков какова каковы ваш ваша ваше ваши вашего вашей вашем вашу вами
  нужно нужен нужна нужны надо хочу хотел хотела хотим хотелось бы подскажите подскажи скажите
  скажи пожалуйста пожалуйсто плиз пж будьте добры подсказать узнать интересует вопрос вопросы
  можете может могу могли сможете ли делать сделать делаю поступить вообще просто ещё именно
  какие-то что-то как-то где-то сейчас тогда всегда иногда обычно будет будут будем является
  найти нахожу находится найду искать ищу использовать пользоваться получить получается
  получилось быть стать мочь знать понять понимаю помочь помогите помоги объяснить объясните
  сказать говорить дать дайте давать брать взять сделайте происходит случится случилось
  бывает происходить значит вообще действительно примерно точно наверное кажется типа
  ситуация случае случай пример например
  ему ей ней ним свою вдруг опять ведь потом потому будто почти никогда наконец разве впрочем
  конечно перед
  свой своя свое свои своего своей своем своим своими своих своему своей
  который которая которое которые которого которой котором которую которых которым
  какого каком какому такое такая такие таким такого такую самый самая самое самые
  должен должна должно должны вместо кроме
`);

export const ENGLISH_STOPWORDS = words(`
  a about above after again all also am an and any are as at be been before being both but by
  can cannot could did do does doing done down during each few for from further get gets got had
  has have having he her here hers him his how i if in into is it its itself just let me might
  more most must my no nor not now of off on once only or other our ours out over please pls
  same shall she should so some such than that the their theirs them then there these they this
  those through to too under until up very was we were what when where which while who whom
  whose why will with would yes yet you your yours im ive id dont doesnt didnt cant cannot wont
  isnt arent wasnt want wanted need needed tell know like help anyone possible way ways thing
  things much many use using used find found make made see look looking try trying give take go
  going happen happens happened really actually probably maybe something anything everything
  case option way can't don't doesn't didn't won't isn't aren't wasn't i'm i've i'd it's that's what's there's let's
  myself ourselves yourself yourselves himself herself themselves because against between
  you're you've you'll you'd youre youve she's that'll should've couldn't shouldn't wouldn't hasn't
  haven't hadn't weren't couldnt shouldnt wouldnt hasnt havent hadnt werent still already currently
  anymore also even ever unable without properly correctly goes
`);

/**
 * Greetings, thanks, farewells and acknowledgements. Not content either; a message made only of
 * them is small talk, and thanks or a farewell without a question is not a question at all.
 */
export const GREETING_WORDS = words(`
  привет приветствую здравствуйте здравствуй здрасте здорово хай добрый доброе доброго утро вечер
  ночи алло дела поживаете hi hello hey hiya morning evening afternoon
`);

export const CLOSING_WORDS = words(`
  спасибо спс благодарю благодарим пасиб пасибо мерси пока досвидания свидания всего доброго
  хорошо ок окей ладно понятно ясно отлично супер класс круто понял поняла договорились
  thanks thank thx ty bye goodbye ok okay cool great good fine perfect understood
`);

/** Words that mark a message as asking something (beside a question mark). */
export const QUESTION_CUES = words(`
  как какой какая какие каким какое какую сколько где когда почему зачем куда откуда можно ли
  нужно надо подскажите скажите хочу что чем кто возможно
  how what where when why which who can could is are do does should will would
`);
