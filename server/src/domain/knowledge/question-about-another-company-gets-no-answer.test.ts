import { describe, expect, it } from 'vitest';
import { FIXTURE_ARTICLES } from './articles.fixture.ts';
import { buildKnowledgeIndex } from './index.ts';

describe('a question that names a product or service the articles do not know', () => {
  const index = buildKnowledgeIndex(FIXTURE_ARTICLES);

  it('gets no answer', () => {
    for (const question of ['Как сменить пароль от Госуслуг?', 'How do I change my Netflix password?']) {
      expect(index.answer(question), question).toBeNull();
      expect(index.explain(question).refused, question).toBe('unknown-name');
    }
  });

  it('is still answered when the articles use the name', () => {
    expect(index.answer('Как сменить пароль от Wi-Fi на роутере?')?.title).toBe('Смена пароля от Wi-Fi');
  });
});
