import { describe, expect, it } from 'vitest';
import { localized } from './site-settings.ts';

describe('a localized setting', () => {
  const greeting = { ru: 'Здравствуйте', en: 'Hello' };

  it('follows the page language, region or not', () => {
    expect(localized(greeting, 'ru', 'en')).toBe('Здравствуйте');
    expect(localized(greeting, 'en-GB', 'ru')).toBe('Hello');
    expect(localized(greeting, 'EN', 'ru')).toBe('Hello');
  });

  it("falls back to the site's locale, then to any text, then to nothing", () => {
    expect(localized(greeting, 'de', 'en')).toBe('Hello');
    expect(localized({ de: 'Hallo' }, 'fr', 'en')).toBe('Hallo');
    expect(localized({ en: '' }, 'en', 'en')).toBe('');
    expect(localized(undefined, 'en', 'en')).toBe('');
  });
});
