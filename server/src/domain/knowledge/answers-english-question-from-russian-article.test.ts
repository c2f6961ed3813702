import { describe, expect, it } from 'vitest';
import { FIXTURE_ARTICLES } from './articles.fixture.ts';
import { buildKnowledgeIndex } from './index.ts';

describe('a question in English about a Russian article', () => {
  const index = buildKnowledgeIndex(FIXTURE_ARTICLES);

  it('is answered through the bilingual lexicon', () => {
    expect(index.answer('How do I freeze my contract?')?.articleId).toBe('pause');
    expect(index.answer('How can I pay for the internet?')?.articleId).toBe('payment');
    expect(index.answer('How do I change my Wi-Fi password?')?.articleId).toBe('wifi-password');
  });

  it('ranks the right article first even when not confident enough to answer', () => {
    expect(index.search('router red light', 1)[0]?.articleId).toBe('router-lights');
  });
});
