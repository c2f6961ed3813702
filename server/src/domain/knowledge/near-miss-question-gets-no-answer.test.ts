import { describe, expect, it } from 'vitest';
import { FIXTURE_ARTICLES } from './articles.fixture.ts';
import { buildKnowledgeIndex } from './index.ts';

describe('a question that shares words with an article but asks what it does not say', () => {
  const index = buildKnowledgeIndex(FIXTURE_ARTICLES);

  it('gets no answer', () => {
    for (const question of ['Как заморозить банковскую карту в приложении Сбербанка?', 'Сколько стоит ремонт роутера после грозы?', 'Как оплатить штраф ГИБДД картой?']) {
      expect(index.answer(question), question).toBeNull();
    }
  });

  it('scores below the related question the article does answer', () => {
    const related = index.search('Как заморозить договор?', 1)[0]!;
    const nearMiss = index.search('Как заморозить банковскую карту в приложении Сбербанка?', 1)[0];
    expect(nearMiss?.score ?? 0).toBeLessThan(related.score);
  });
});
