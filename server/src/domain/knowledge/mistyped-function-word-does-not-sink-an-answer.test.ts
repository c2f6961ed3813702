import { describe, expect, it } from 'vitest';
import { FIXTURE_ARTICLES } from './articles.fixture.ts';
import { buildKnowledgeIndex } from './index.ts';

describe('a question with a mistyped function word ("кагда", "скольок")', () => {
  const index = buildKnowledgeIndex(FIXTURE_ARTICLES);

  it('is read and answered as the question spelled right', () => {
    for (const [right, mistyped] of [
      ['когда можно заморозить договор', 'кагда можно заморозить договор'],
      ['сколько стоит тариф', 'скольок стоит тариф'],
    ] as const) {
      expect(index.explain(mistyped).words, mistyped).toEqual(index.explain(right).words);
      const answer = index.answer(mistyped);
      expect(answer, mistyped).not.toBeNull();
      expect(answer?.articleId, mistyped).toBe(index.answer(right)?.articleId);
    }
  });

  it('still reads a word the articles know, even one edit from a function word', () => {
    expect(index.explain('тарифы почем').words).toContain('почем');
  });
});
