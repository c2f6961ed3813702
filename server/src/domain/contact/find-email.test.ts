import { describe, expect, it } from 'vitest';
import { findEmail } from './find-email.ts';

describe('finding the email a visitor leaves', () => {
  it.each([
    ['anna@example.com', 'anna@example.com'],
    ['мой email: Anna.Petrova+tv@Mail.RU, пишите', 'anna.petrova+tv@mail.ru'],
    ['пишите на boris_1990@sub.domain.org.', 'boris_1990@sub.domain.org'],
    ['(ivan@yandex.ru)', 'ivan@yandex.ru'],
    ['a@b.co и ещё раз a@b.co', 'a@b.co'],
  ])('%s → %s', (text, email) => {
    expect(findEmail(text)).toBe(email);
  });

  it.each([
    ['no address at all', 'интернет не работает'],
    ['a bare @mention', 'спросите @support'],
    ['no top-level domain', 'anna@localhost'],
    ['two different addresses', 'anna@example.com или boris@example.com'],
    ['double dots', 'anna..petrova@example.com'],
    ['a domain ending in a dash', 'anna@example-.com'],
    ['an address glued to other text', 'x@y.com@z.com'],
  ])('none for %s', (_, text) => {
    expect(findEmail(text)).toBeNull();
  });
});
