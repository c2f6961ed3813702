import { describe, expect, it } from 'vitest';
import { detectLocale } from './detect-locale.ts';

describe('detectLocale', () => {
  it.each(['Привет', 'интернет не работает', 'Wi-Fi не работает', 'роутер TP-Link не видит WAN', 'Ёлки, опять!'])('Cyrillic → ru: %s', (text) => {
    expect(detectLocale(text, 'en')).toBe('ru');
  });

  it.each(['hello', 'internet is not working', 'how much is the 1 gig plan?', "I can't log in"])('English → en: %s', (text) => {
    expect(detectLocale(text, 'ru')).toBe('en');
  });

  it.each(['privet', 'internet ne rabotaet', 'spasibo bolshoe', 'Pozhaluista pomogite', 'zdravstvuite'])('transliterated Russian → the fallback: %s', (text) => {
    expect(detectLocale(text, 'ru')).toBe('ru');
    expect(detectLocale(text, 'en')).toBe('en');
  });

  it.each(['', '12345', '???', '👍'])('no letters → the fallback: %j', (text) => {
    expect(detectLocale(text, 'ru')).toBe('ru');
    expect(detectLocale(text, 'en-US')).toBe('en');
  });

  it('mostly Latin with a little Cyrillic follows the fallback', () => {
    expect(detectLocale('my login admin мой', 'en')).toBe('en');
    expect(detectLocale('my login admin мой', 'ru')).toBe('ru');
  });

  it('a fallback other than English means Russian', () => {
    expect(detectLocale('privet', 'de')).toBe('ru');
    expect(detectLocale('privet', 'EN-gb')).toBe('en');
  });
});
