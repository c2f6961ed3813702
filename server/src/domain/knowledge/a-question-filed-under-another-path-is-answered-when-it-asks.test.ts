import { describe, expect, it } from 'vitest';
import { FIXTURE_ARTICLES } from './articles.fixture.ts';
import { buildKnowledgeIndex } from './index.ts';
import { knowledgeLookup } from './lookup.ts';

describe('which messages the knowledge base is asked about', () => {
  const index = buildKnowledgeIndex(FIXTURE_ARTICLES);

  it('questions of billing, account, technical matters or not understood always; a request for a person never; the rest when they ask', () => {
    for (const category of ['BILLING', 'ACCOUNT', 'TECH_SUPPORT_BASIC', 'UNKNOWN'] as const) expect(knowledgeLookup(category), category).toBe('always');
    for (const category of ['GREETING', 'THANKS', 'FAREWELL', 'COMPLAINT', 'OUTAGE_REPORT'] as const) expect(knowledgeLookup(category), category).toBe('asking');
    expect(knowledgeLookup('HUMAN_REQUEST')).toBe('never');
  });

  it('a message that asks is answered when only asking ones may be', () => {
    for (const question of ['Сколько ждать, пока заморозку отменят?', 'Безобразие, как отменить заморозку договора', 'Заморозка договора не отменяется, что делать']) {
      expect(index.answer(question, { asking: true })?.articleId, question).toBe('pause');
    }
  });

  it('a statement the articles match is not answered when only asking ones may be', () => {
    const complaint = 'Безобразие, заморозка договора не отменяется!';
    expect(index.answer(complaint)?.articleId).toBe('pause');
    expect(index.answer(complaint, { asking: true })).toBeNull();
  });
});
