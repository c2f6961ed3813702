import type { Category } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { countRepeats, decideEscalation, type ClassifiedMessage, type EscalationOptions } from './decide-escalation.ts';

const OPTIONS: EscalationOptions = { repeatThreshold: 3, lowConfidenceStreak: 2, confidenceThreshold: 0.5 };

const tech = (text: string, confidence = 0.95): ClassifiedMessage => ({ text, category: 'TECH_SUPPORT_BASIC', confidence });
const as = (category: Category, text: string, confidence = 0.95): ClassifiedMessage => ({ text, category, confidence });
const decide = (...messages: ClassifiedMessage[]) => decideEscalation(messages, OPTIONS);

describe('escalates after three repeats of the same request', () => {
  it.each([
    ['typos', ['интернет не работает', 'интрнет не работаит', 'интернет не работает']],
    ['"всё ещё"', ['интернет не работает', 'не работает интернет, помогите', 'всё ещё не работает интернет']],
    ['"???"', ['интернет не работает', 'интернет не работает???', 'ну что там с интернетом???']],
    ['capitals', ['интернет не работает', 'у меня не работает интернет', 'ИНТЕРНЕТ НЕ РАБОТАЕТ']],
    ['"я же говорю"', ['интернет не работает', 'интернет до сих пор не работает', 'я же говорю, нет соединения']],
    ['"третий раз"', ['интернет не работает', 'у меня пропал интернет, не работает', 'третий раз пишу: интернета нет']],
    ['English', ['internet is not working', 'internet still not working', 'INTERNET IS NOT WORKING']],
  ])('with %s → HIGH, repeat:TECH_SUPPORT_BASIC×3', (_, texts) => {
    expect(decide(...texts.map((t) => tech(t)))).toEqual({ escalate: true, priority: 'HIGH', reason: 'repeat:TECH_SUPPORT_BASIC×3' });
  });

  it('does not escalate on the second time yet', () => {
    expect(decide(tech('интернет не работает'), tech('интернет не работает!!!'))).toEqual({ escalate: false });
  });

  it('counts on past the threshold: the fourth time is ×4', () => {
    const texts = ['нет интернета', 'интернета нет!!', 'до сих пор нет интернета', 'НЕТ ИНТЕРНЕТА'];
    expect(decide(...texts.map((t) => tech(t)))).toEqual({ escalate: true, priority: 'HIGH', reason: 'repeat:TECH_SUPPORT_BASIC×4' });
  });

  it('follows the configured threshold', () => {
    const messages = [tech('интернет не работает'), tech('интернет не работает!!!')];
    expect(decideEscalation(messages, { ...OPTIONS, repeatThreshold: 2 })).toEqual({
      escalate: true,
      priority: 'HIGH',
      reason: 'repeat:TECH_SUPPORT_BASIC×2',
    });
  });
});

describe('a chain of different questions in one category does not escalate', () => {
  it('price, then installation fee, then where to see the invoice', () => {
    const messages = [
      as('BILLING', 'Сколько стоит тариф 100 Мбит?'),
      as('BILLING', 'А плата за подключение есть?'),
      as('BILLING', 'Где посмотреть счёт?'),
    ];
    expect(countRepeats(messages)).toBe(1);
    expect(decideEscalation(messages, OPTIONS)).toEqual({ escalate: false });
  });

  it('an impatient "???" on the third question repeats only the question before it', () => {
    const messages = [
      as('BILLING', 'Сколько стоит тариф 100 Мбит?'),
      as('BILLING', 'А плата за подключение есть?'),
      as('BILLING', 'Где посмотреть счёт???'),
    ];
    expect(countRepeats(messages)).toBe(2);
    expect(decideEscalation(messages, OPTIONS)).toEqual({ escalate: false });
  });

  it('in English too', () => {
    const messages = [
      as('BILLING', 'how much is the 1 gig plan'),
      as('BILLING', 'is there an installation fee?'),
      as('BILLING', 'where can I see my invoice?'),
    ];
    expect(decideEscalation(messages, OPTIONS)).toEqual({ escalate: false });
  });
});

describe('troubleshooting that adds new information each time does not escalate', () => {
  it('router restarted → cable plugged in → DNS changed', () => {
    const messages = [
      tech('интернет не работает'),
      tech('Роутер перезагрузил, индикатор WAN горит красным'),
      tech('Подключил кабель напрямую к ноутбуку, сайты не открываются, но скайп работает'),
      tech('Сменил DNS на 8.8.8.8, теперь страницы открываются медленно'),
    ];
    expect(countRepeats(messages)).toBe(1);
    expect(decideEscalation(messages, OPTIONS)).toEqual({ escalate: false });
  });

  it('in English', () => {
    const messages = [
      tech('my wifi drops every few minutes'),
      tech('I restarted the router, the power light is green and the WAN light blinks orange'),
      tech('with a cable plugged into the laptop pages load but video calls freeze'),
    ];
    expect(decideEscalation(messages, OPTIONS)).toEqual({ escalate: false });
  });
});

describe('what comes in between', () => {
  it('greetings in between do not break a repetition', () => {
    const messages = [
      tech('интернет не работает'),
      as('GREETING', 'здравствуйте'),
      tech('интернет не работает!'),
      as('GREETING', 'алло, привет'),
      tech('до сих пор не работает интернет'),
    ];
    expect(decide(...messages)).toEqual({ escalate: true, priority: 'HIGH', reason: 'repeat:TECH_SUPPORT_BASIC×3' });
  });

  it('one new detail of another category in between does not break a repetition', () => {
    const messages = [
      tech('интернет не работает'),
      tech('интернет не работает, помогите'),
      as('ACCOUNT', 'мой адрес Ленина 5 кв 12'),
      tech('интернет так и не работает'),
    ];
    expect(decide(...messages)).toEqual({ escalate: true, priority: 'HIGH', reason: 'repeat:TECH_SUPPORT_BASIC×3' });
  });

  it('one new detail of the same category in between does not break a repetition', () => {
    const messages = [
      tech('интернет не работает'),
      tech('роутер перезагрузил, лампочка WAN красная'),
      tech('интернет не работает'),
      tech('всё ещё не работает!!!'),
    ];
    expect(decide(...messages)).toEqual({ escalate: true, priority: 'HIGH', reason: 'repeat:TECH_SUPPORT_BASIC×3' });
  });

  it('two other requests in between start a new stretch of talk', () => {
    const messages = [
      tech('интернет не работает'),
      tech('интернет не работает, помогите'),
      as('ACCOUNT', 'мой адрес Ленина 5 кв 12'),
      as('BILLING', 'и сколько стоит тариф 100 Мбит?'),
      tech('интернет не работает'),
    ];
    expect(countRepeats(messages)).toBe(1);
    expect(decide(...messages)).toEqual({ escalate: false });
  });
});

describe('social categories never count', () => {
  it.each<Category>(['GREETING', 'THANKS', 'FAREWELL'])('%s said five times does not escalate', (category) => {
    const messages = Array.from({ length: 5 }, () => as(category, 'ПРИВЕТ!!! СПАСИБО!!! ПОКА!!!'));
    expect(countRepeats(messages)).toBe(0);
    expect(decide(...messages)).toEqual({ escalate: false });
  });

  it('a "thanks" after two repeats is not the third repeat', () => {
    expect(decide(tech('интернет не работает'), tech('интернет не работает!!!'), as('THANKS', 'спасибо'))).toEqual({ escalate: false });
  });

  it('UNKNOWN repeated is a low-confidence streak, never a repeat', () => {
    const decision = decide(as('UNKNOWN', 'фывапролд', 0.9), as('UNKNOWN', 'фывапролд', 0.9), as('UNKNOWN', 'фывапролд', 0.9));
    expect(decision).toMatchObject({ escalate: true, priority: 'NORMAL' });
    if (decision.escalate) expect(decision.reason).not.toMatch(/^repeat:/);
  });
});

describe('human request', () => {
  it('the first ask escalates NORMAL', () => {
    expect(decide(tech('интернет не работает'), as('HUMAN_REQUEST', 'позовите оператора'))).toEqual({
      escalate: true,
      priority: 'NORMAL',
      reason: 'human_request',
    });
  });

  it('asked again it escalates HIGH with the count', () => {
    expect(decide(as('HUMAN_REQUEST', 'позовите оператора'), as('GREETING', 'алло'), as('HUMAN_REQUEST', 'дайте живого человека'))).toEqual({
      escalate: true,
      priority: 'HIGH',
      reason: 'human_request×2',
    });
  });
});

describe('complaint', () => {
  it('escalates HIGH at once, even as the first message', () => {
    expect(decide(as('COMPLAINT', 'это безобразие, буду жаловаться'))).toEqual({ escalate: true, priority: 'HIGH', reason: 'complaint' });
  });
});

describe('low confidence', () => {
  it('two not-understood messages in a row escalate NORMAL', () => {
    expect(decide(tech('интернет не работает'), as('UNKNOWN', 'фывапролд', 0.98), as('UNKNOWN', 'ъъъ ыыы', 0.51))).toEqual({
      escalate: true,
      priority: 'NORMAL',
      reason: 'low_confidence×2',
    });
  });

  it('a low confidence in a known category counts like UNKNOWN', () => {
    expect(decide(as('ACCOUNT', 'хм', 0.3), as('BILLING', 'ну это', 0.2))).toEqual({ escalate: true, priority: 'NORMAL', reason: 'low_confidence×2' });
  });

  it('one not-understood message does not escalate', () => {
    expect(decide(as('UNKNOWN', 'фывапролд'))).toEqual({ escalate: false });
  });

  it('an understood message in between breaks the streak', () => {
    expect(decide(as('UNKNOWN', 'фывапролд'), tech('интернет не работает'), as('UNKNOWN', 'ъъъ ыыы'))).toEqual({ escalate: false });
  });
});

describe('no escalation on a guess', () => {
  it('a COMPLAINT below its threshold is not a complaint but not understood', () => {
    expect(decide(as('COMPLAINT', 'a cherez sbp mozhno?', 0.36))).toEqual({ escalate: false });
    expect(decide(as('COMPLAINT', 'ну такое', 0.4), as('UNKNOWN', 'хм', 0.9))).toEqual({ escalate: true, priority: 'NORMAL', reason: 'low_confidence×2' });
  });

  it('a HUMAN_REQUEST below its threshold without a word about a person does not call one', () => {
    expect(decide(as('HUMAN_REQUEST', 'вопрос номер 1', 0.49))).toEqual({ escalate: false });
  });

  it('an explicit ask for a person escalates whatever the classifier thought', () => {
    expect(decide(as('UNKNOWN', 'оператора!', 0.6))).toEqual({ escalate: true, priority: 'NORMAL', reason: 'human_request' });
    expect(decide(tech('интернет не работает, соедините с живым человеком', 0.9))).toEqual({ escalate: true, priority: 'NORMAL', reason: 'human_request' });
  });

  it('an explicit complaint escalates whatever the classifier thought', () => {
    expect(decide(as('BILLING', 'списали деньги дважды, буду жаловаться в роспотребнадзор', 0.9))).toEqual({ escalate: true, priority: 'HIGH', reason: 'complaint' });
  });

  it('the per-category thresholds can be set', () => {
    const messages = [as('COMPLAINT', 'ну такое себе', 0.7)];
    expect(decideEscalation(messages, { ...OPTIONS, escalationThresholds: { COMPLAINT: 0.6, HUMAN_REQUEST: 0.6 } })).toMatchObject({ reason: 'complaint' });
    expect(decideEscalation(messages, { ...OPTIONS, escalationThresholds: { COMPLAINT: 0.8, HUMAN_REQUEST: 0.6 } })).toEqual({ escalate: false });
  });
});

describe('follow-ups understood in context do not count as not understood', () => {
  it('two unsure follow-ups after a plan question do not escalate', () => {
    expect(decide(as('BILLING', 'есть тариф без телевидения?'), as('UNKNOWN', 'а скорость там какая будет?', 0.52), as('UNKNOWN', 'ок, а когда начнёт действовать?', 0.42))).toEqual({
      escalate: false,
    });
  });

  it('two unsure messages with nothing to continue do', () => {
    expect(decide(as('UNKNOWN', 'а скорость там какая будет?', 0.52), as('UNKNOWN', 'ок, а когда начнёт действовать?', 0.42))).toEqual({
      escalate: true,
      priority: 'NORMAL',
      reason: 'low_confidence×2',
    });
  });
});

describe('repeats by meaning', () => {
  it('shorter, in other words, across a misread category: one request', () => {
    const messages = [
      as('BILLING', 'how do i get a refund for last month'),
      as('BILLING', 'refund please'),
      as('BILLING', 'how do I get my money back for last month??'),
    ];
    expect(decide(...messages)).toEqual({ escalate: true, priority: 'HIGH', reason: 'repeat:BILLING×3' });
  });

  it('a report of what was tried in between is a detail, not a repeat', () => {
    const messages = [tech('на телевизоре нет сигнала'), tech('приставку перезагружала'), tech('всё равно нет сигнала')];
    expect(countRepeats(messages)).toBe(2);
    expect(decide(...messages, tech('так нет сигнала же!!'))).toEqual({ escalate: true, priority: 'HIGH', reason: 'repeat:TECH_SUPPORT_BASIC×3' });
  });

  it('the same words with different numbers are different questions', () => {
    const messages = [as('BILLING', 'сколько стоит тариф 100 мбит'), as('BILLING', 'сколько стоит тариф 300 мбит'), as('BILLING', 'сколько стоит тариф 500 мбит')];
    expect(decide(...messages)).toEqual({ escalate: false });
  });

  it('thanks said three ways, whatever the classifier made of them, is never a repeat', () => {
    const messages = [as('THANKS', 'спасибо!'), as('UNKNOWN', 'спасибки огромные', 0.4), as('COMPLAINT', 'СПАСИБО!!!', 0.5)];
    expect(countRepeats(messages)).toBe(0);
    expect(decide(...messages)).toEqual({ escalate: false });
  });
});

describe('reasons', () => {
  it('have the documented format', () => {
    const reasons = [
      decide(tech('нет интернета'), tech('интернета нет!!'), tech('НЕТ ИНТЕРНЕТА')),
      decide(as('OUTAGE_REPORT', 'интернета нет во всём доме'), as('OUTAGE_REPORT', 'интернета нет во всём доме'), as('OUTAGE_REPORT', 'во всём доме нет интернета')),
      decide(as('COMPLAINT', 'безобразие')),
      decide(as('HUMAN_REQUEST', 'оператора')),
      decide(as('HUMAN_REQUEST', 'оператора'), as('HUMAN_REQUEST', 'оператора!')),
      decide(as('UNKNOWN', '???'), as('UNKNOWN', '!!!')),
    ].map((d) => (d.escalate ? d.reason : null));
    expect(reasons).toEqual([
      'repeat:TECH_SUPPORT_BASIC×3',
      'repeat:OUTAGE_REPORT×3',
      'complaint',
      'human_request',
      'human_request×2',
      'low_confidence×2',
    ]);
  });

  it('an empty history decides nothing', () => {
    expect(decideEscalation([], OPTIONS)).toEqual({ escalate: false });
  });
});
