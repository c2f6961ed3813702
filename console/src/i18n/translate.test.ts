import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { browserLanguage, translate } from './index.ts';
import { ru } from './ru.ts';

describe('console translations', () => {
  it('picks the Russian plural form by count', () => {
    const say = (count: number) => translate('ru', 'header.operatorsOnline', { count });
    expect(say(1)).toBe('1 оператор в сети');
    expect(say(21)).toBe('21 оператор в сети');
    expect(say(3)).toBe('3 оператора в сети');
    expect(say(5)).toBe('5 операторов в сети');
    expect(say(11)).toBe('11 операторов в сети');
    expect(say(1.5)).toBe('1.5 оператора в сети');
  });

  it('picks the English plural form by count', () => {
    expect(translate('en', 'header.operatorsOnline', { count: 1 })).toBe('1 operator online');
    expect(translate('en', 'header.operatorsOnline', { count: 2 })).toBe('2 operators online');
  });

  it('fills {name} placeholders and leaves unknown ones visible', () => {
    expect(translate('ru', 'time.hoursMinutes', { h: 2, m: 5 })).toBe('2 ч 5 мин');
    expect(translate('en', 'time.hoursMinutes', { h: 2 })).toBe('2 h {m} min');
  });

  it('has a non-empty Russian text for every English key', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const message = ru[key];
      expect(message, key).toBeTruthy();
      if (typeof en[key] === 'string') expect(typeof message, key).toBe('string');
      else expect((message as { other?: string }).other, key).toBeTruthy();
    }
  });

  it('falls back to English for a text a language lacks at run time', () => {
    const stale = ru as Record<string, unknown>;
    const saved = stale['login.submit'];
    delete stale['login.submit'];
    try {
      expect(translate('ru', 'login.submit')).toBe('Log in');
    } finally {
      stale['login.submit'] = saved;
    }
  });

  it('defaults to the first browser language it speaks, else English', () => {
    expect(browserLanguage(['ru-RU', 'en-US'])).toBe('ru');
    expect(browserLanguage(['de-DE', 'en-GB', 'ru'])).toBe('en');
    expect(browserLanguage(['de-DE', 'ru'])).toBe('ru');
    expect(browserLanguage(['fr'])).toBe('en');
    expect(browserLanguage([])).toBe('en');
  });
});
