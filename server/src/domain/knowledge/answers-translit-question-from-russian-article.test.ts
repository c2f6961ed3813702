import { describe, expect, it } from 'vitest';
import { FIXTURE_ARTICLES } from './articles.fixture.ts';
import { buildKnowledgeIndex } from './index.ts';

describe('a question in Latin transliteration', () => {
  const index = buildKnowledgeIndex(FIXTURE_ARTICLES);

  it('is answered from the Russian article', () => {
    expect(index.answer('kak zamorozit dogovor')?.articleId).toBe('pause');
    expect(index.answer('kak oplatit internet?')?.articleId).toBe('payment');
  });

  it('finds the same article as the question typed in Cyrillic', () => {
    expect(index.search('skolko stoit tarif', 1)[0]?.articleId).toBe(index.search('сколько стоит тариф', 1)[0]?.articleId);
  });
});
