import { expect, it } from 'vitest';
import { refusalText } from './refusals.ts';

it('keeps the server’s English in an English console', () => {
  expect(refusalText({ code: 'not_owner', message: 'Claim the conversation first' }, 'en')).toBe('Claim the conversation first');
});

it('says a known refusal in Russian by its text, with the names and numbers it carries', () => {
  expect(refusalText({ code: 'not_owner', message: 'Claim the conversation first' }, 'ru')).toBe('Сначала возьмите разговор');
  expect(refusalText({ code: 'already_claimed', message: 'Already taken by Анна' }, 'ru')).toBe('Разговор уже взял оператор Анна');
  expect(refusalText({ code: 'conflict', message: 'A site keeps at most 200 canned responses' }, 'ru')).toBe('На сайте может быть не больше 200 шаблонов ответов');
});

it('says any other refusal in Russian by its code, and keeps a validation error’s detail (it names the field)', () => {
  expect(refusalText({ code: 'forbidden', message: 'Only owners delete sites' }, 'ru')).toBe('Недостаточно прав для этого действия');
  expect(refusalText({ code: 'validation_error', message: 'title: must not be empty' }, 'ru')).toBe('Проверьте данные: title: must not be empty');
  expect(refusalText({ code: 'teapot', message: 'I am a teapot' }, 'ru')).toBe('I am a teapot');
});
