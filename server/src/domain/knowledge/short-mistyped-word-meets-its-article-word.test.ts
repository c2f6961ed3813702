import { describe, expect, it } from 'vitest';
import { FIXTURE_ARTICLES } from './articles.fixture.ts';
import { buildKnowledgeIndex } from './index.ts';

describe('a short mistyped word ("тарив" for "тариф")', () => {
  const index = buildKnowledgeIndex(FIXTURE_ARTICLES);

  it('is read as the article word one edit away, and the question is answered', () => {
    expect(index.answer('сколько стоит тарив')?.articleId).toBe('plans');
    expect(index.answer('тарив быстрый')?.articleId).toBe('plans');
  });

  it('is not read so when typo matching of short words is off', () => {
    const strict = buildKnowledgeIndex(FIXTURE_ARTICLES, { shortTypoWeight: 0 });
    expect(strict.answer('сколько стоит тарив')).toBeNull();
  });
});
