import { describe, expect, it } from 'vitest';
import { normalize } from './normalize.ts';

describe('normalize: one spelling per message', () => {
  it('trims, collapses whitespace and case-folds', () => {
    expect(normalize('  Привет,\n\tМИР   И  Hello  ')).toBe('привет мир и hello');
  });

  it('writes ё as е', () => {
    expect(normalize('Всё ещё ЁЛКА')).toBe('все еще елка');
  });

  it('shortens letters stretched for emphasis but keeps real double letters', () => {
    expect(normalize('hiiiii спасибоооо')).toBe('hi спасибо');
    expect(normalize('good кассовый')).toBe('good кассовый');
  });

  it('drops punctuation but keeps digits and apostrophes inside Latin words', () => {
    expect(normalize("What's up?! 100% speed... pod'ezd")).toBe("what's up 100 speed pod'ezd");
  });

  it('joins hyphenated spellings so they meet the solid ones', () => {
    expect(normalize('Wi-Fi и вай-фай')).toBe('wifi и вайфай');
  });

  it('gives an empty string for messages with nothing to say', () => {
    expect(normalize('  ?!... ')).toBe('');
  });
});
