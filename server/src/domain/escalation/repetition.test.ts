import { describe, expect, it } from 'vitest';
import { isSimilarWording, reportsWhatWasTried, showsFrustration, similarity } from './repetition.ts';

describe('showsFrustration: signs that the last answer did not help', () => {
  it.each([
    'всё ещё не работает',
    'все еще не работает',
    'ВСЁ ЕЩЁ НЕТ',
    'опять пропал',
    'до сих пор нет связи',
    'я же говорю, нет интернета',
    'я же говорил, роутер перезагружал',
    'третий раз пишу',
    'сколько можно',
    'не помогло',
    'ну и???',
    'it is still down',
    'again no internet',
    'that did not help, I already told you',
    'hello???',
    'НИЧЕГО НЕ РАБОТАЕТ',
  ])('%s', (text) => expect(showsFrustration(text)).toBe(true));

  it.each(['интернет не работает', 'Сколько стоит тариф 100 Мбит?', 'Роутер перезагрузил, индикатор WAN горит красным', 'where is my invoice?', 'WAN light is red', 'ОК'])(
    'not: %s',
    (text) => expect(showsFrustration(text)).toBe(false),
  );
});

describe('similar wording survives typos and reordering, not different questions', () => {
  it.each([
    ['интернет не работает', 'интрнет не работаит'],
    ['нет интернета', 'интернета нет!!'],
    ['интернет не работает', 'ИНТЕРНЕТ НЕ РАБОТАЕТ'],
    ['всё ещё нет интернета', 'все еще нет интернета'],
  ])('%s ~ %s', (a, b) => expect(isSimilarWording(b, a)).toBe(true));

  it.each([
    ['сколько стоит тариф', 'где счёт'],
    ['Сколько стоит тариф 100 Мбит?', 'А плата за подключение есть?'],
    ['интернет не работает', 'Роутер перезагрузил, индикатор WAN горит красным'],
  ])('%s ≠ %s', (a, b) => expect(isSimilarWording(b, a)).toBe(false));

  it('is 0 for text without letters or digits', () => {
    expect(similarity('???', 'интернет')).toBe(0);
  });
});

describe('reportsWhatWasTried: a detail of the request, not the request', () => {
  it.each(['приставку перезагружала', 'роутер перезагрузил', 'сбросила настройки', 'вынул и вставил кабель', 'I restarted the router', 'already checked the cables'])(
    '%s',
    (text) => expect(reportsWhatWasTried(text)).toBe(true),
  );

  it.each(['перезагрузил, не помогло', 'tried that, still nothing', 'на телевизоре нет сигнала', 'сигнал пропал', 'I restarted it but the light is still red'])(
    'not: %s',
    (text) => expect(reportsWhatWasTried(text)).toBe(false),
  );
});
