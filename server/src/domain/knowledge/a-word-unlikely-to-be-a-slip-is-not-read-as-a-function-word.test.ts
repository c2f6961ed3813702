import { describe, expect, it } from 'vitest';
import { FIXTURE_ARTICLES } from './articles.fixture.ts';
import { buildKnowledgeIndex } from './index.ts';
import { plausibleSlip } from './similar-stems.ts';

describe('a word one edit from a function word', () => {
  const index = buildKnowledgeIndex(FIXTURE_ARTICLES);

  it('stays a content word when the edit is not a slip people make («такси» is not «такой»)', () => {
    expect(index.explain('как вернуть деньги за такси').words).toContain('такси');
  });

  it('is read as the function word when the edit is a vowel, a neighbouring key, a missing or swapped letter', () => {
    expect(plausibleSlip('кагда', 'когда')).toBe(true);
    expect(plausibleSlip('мржно', 'можно')).toBe(true);
    expect(plausibleSlip('можо', 'можно')).toBe(true);
    expect(plausibleSlip('мжоно', 'можно')).toBe(true);
    expect(plausibleSlip('фыв', 'йыв')).toBe(true);
    expect(plausibleSlip('фыв', 'цыв')).toBe(true);
  });

  it('is not a slip when a letter is replaced by a far-away consonant', () => {
    expect(plausibleSlip('такси', 'такои')).toBe(false);
    expect(plausibleSlip('фыв', 'уыв')).toBe(false);
  });
});
