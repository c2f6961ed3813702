import { describe, expect, it } from 'vitest';
import { normalize } from './normalize.ts';

describe('normalize: emoji carry intent', () => {
  it('maps angry, grateful and waving emoji to mood tokens', () => {
    expect(normalize('хуже провайдера не видел 🤬')).toBe('хуже провайдера не видел :angry:');
    expect(normalize('спасибо 🙏🏽')).toBe('спасибо :pray:');
    expect(normalize('gotta go 👋')).toBe('gotta go :wave:');
    expect(normalize('❤️👍')).toBe(':happy: :thumbsup:');
  });

  it('reads text emoticons, including the Russian bracket smile', () => {
    expect(normalize('добрый вечер)')).toBe('добрый вечер :happy:');
    expect(normalize('спасибо)))')).toBe('спасибо :happy:');
    expect(normalize('ну вот :(')).toBe('ну вот :sad:');
  });

  it('collapses unlisted pictographs into one token and never breaks on them', () => {
    expect(normalize('🦄🚀 интернет')).toBe(':emoji: :emoji: интернет');
  });

  it('keeps a colon only as part of a mood token', () => {
    expect(normalize('at 10:30 :) ok')).toBe('at 10 30 :happy: ok');
  });
});
