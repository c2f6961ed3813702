import { describe, expect, it } from 'vitest';
import { avatarSrc, localized } from './site-settings.ts';

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

describe("the header's avatar", () => {
  it('is an http(s) URL or nothing', () => {
    expect(avatarSrc('https://cdn.example/logo.png')).toBe('https://cdn.example/logo.png');
    expect(avatarSrc('HTTP://cdn.example/a.svg')).toBe('HTTP://cdn.example/a.svg');
    for (const url of ['javascript:alert(1)', 'data:image/svg+xml,<svg/>', '//cdn.example/logo.png', '', null, undefined]) expect(avatarSrc(url)).toBe('');
  });
});
