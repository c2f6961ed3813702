import { describe, expect, it } from 'vitest';
import { FIXTURE_ARTICLES } from './articles.fixture.ts';
import { buildKnowledgeIndex } from './index.ts';

describe('a question with typos', () => {
  const index = buildKnowledgeIndex(FIXTURE_ARTICLES);

  it('is answered from the article the words were meant for', () => {
    expect(index.answer('как заморозть догвор')?.articleId).toBe('pause');
    expect(index.answer('как поменять пароль от вайфая?')?.articleId).toBe('wifi-password');
    expect(index.answer('что значит красная лампочка на роутре')?.articleId).toBe('router-lights');
  });
});
