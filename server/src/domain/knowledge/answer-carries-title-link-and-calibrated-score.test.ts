import { describe, expect, it } from 'vitest';
import { FIXTURE_ARTICLES } from './articles.fixture.ts';
import { buildKnowledgeIndex, DEFAULT_KNOWLEDGE_OPTIONS } from './index.ts';

describe('an answer', () => {
  const index = buildKnowledgeIndex(FIXTURE_ARTICLES);

  it('names its article, title and link, with a score between the threshold and 1', () => {
    const answer = index.answer('Как заморозить договор?')!;
    expect(answer).toMatchObject({ articleId: 'pause', title: 'Заморозка договора', url: 'https://luchnet.example/help/pause' });
    expect(answer.score).toBeGreaterThanOrEqual(DEFAULT_KNOWLEDGE_OPTIONS.answerThreshold);
    expect(answer.score).toBeLessThanOrEqual(1);
  });

  it('carries a null link for an article without one', () => {
    expect(index.answer('Что значит красная лампочка на роутере?')?.url).toBeNull();
  });

  it('is withheld when the threshold is above every score', () => {
    const strict = buildKnowledgeIndex(FIXTURE_ARTICLES, { answerThreshold: 1.01 });
    expect(strict.answer('Как заморозить договор?')).toBeNull();
    expect(strict.search('Как заморозить договор?', 1)[0]?.articleId).toBe('pause');
  });

  it('search lists one hit per article, best first, at most `limit`', () => {
    const hits = index.search('как оплатить тариф картой', 3);
    expect(hits.length).toBeLessThanOrEqual(3);
    expect(new Set(hits.map((h) => h.articleId)).size).toBe(hits.length);
    expect(hits[0]?.articleId).toBe('payment');
  });

  it('an empty knowledge base answers nothing', () => {
    const empty = buildKnowledgeIndex([]);
    expect(empty.size).toBe(0);
    expect(empty.answer('Как заморозить договор?')).toBeNull();
    expect(empty.search('Как заморозить договор?')).toEqual([]);
  });
});
