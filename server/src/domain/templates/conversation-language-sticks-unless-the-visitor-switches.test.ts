import { describe, expect, it } from 'vitest';
import { conversationLanguage } from './conversation-language.ts';

describe('the language of a conversation', () => {
  it('is the page language while no message tells', () => {
    expect(conversationLanguage([], 'en-US')).toBe('en');
    expect(conversationLanguage(['12345', '??'], 'ru')).toBe('ru');
  });

  it('is decided by the first message that has words, over the page language', () => {
    expect(conversationLanguage(['Hello, my internet is down'], 'ru')).toBe('en');
    expect(conversationLanguage(['Здравствуйте, не работает интернет'], 'en')).toBe('ru');
    expect(conversationLanguage(['privet, internet ne rabotaet'], 'en')).toBe('ru');
  });

  it('stays Russian when the visitor types an email address', () => {
    const texts = ['Здравствуйте, позовите оператора', 'anna@example.com'];
    expect(conversationLanguage(texts, 'ru')).toBe('ru');
    expect(conversationLanguage(texts, 'en')).toBe('ru');
  });

  it('stays Russian through one message in Latin letters', () => {
    expect(conversationLanguage(['Не работает интернет', 'my email is anna@example.com'], 'ru')).toBe('ru');
    expect(conversationLanguage(['Не работает интернет', 'роутер TP-Link', 'Error 651', 'ok'], 'ru')).toBe('ru');
  });

  it('switches when the visitor clearly writes two messages in a row in the other language', () => {
    expect(conversationLanguage(['Не работает интернет', 'Sorry, can we speak English?', 'My router shows a red light'], 'ru')).toBe('en');
    expect(conversationLanguage(['Hello there', 'Можно по-русски?', 'Не работает интернет'], 'en')).toBe('ru');
  });

  it('does not switch when the other-language messages are interrupted', () => {
    expect(conversationLanguage(['Не работает интернет', 'Sorry, English please', 'Ладно', 'the router is red'], 'ru')).toBe('ru');
  });

  it('does not count one-word messages as a switch', () => {
    expect(conversationLanguage(['Не работает интернет', 'ok', 'thanks'], 'ru')).toBe('ru');
  });
});
