import { CATEGORIES } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { CYRILLIC_EXAMPLES } from './cyrillic-examples.fixture.ts';
import { trainLocalClassifier } from './local-model.ts';

describe('a message the model cannot place confidently is UNKNOWN', () => {
  it('answers UNKNOWN with full confidence when nothing in the message was ever seen', () => {
    const classifier = trainLocalClassifier(CYRILLIC_EXAMPLES);
    expect(classifier.classify('ʘʘ ǂǂ ъ')).toEqual({ category: 'UNKNOWN', confidence: 1 });
    expect(classifier.classify('   ?!  ')).toEqual({ category: 'UNKNOWN', confidence: 1 });
  });

  it('turns a best guess below the threshold into UNKNOWN, whose confidence is 1 − the guess', () => {
    const text = 'роутер';
    const open = trainLocalClassifier(CYRILLIC_EXAMPLES, { unknownThreshold: 0 });
    const guess = open.classify(text);
    expect(guess.category).toBe('TECH_SUPPORT_BASIC');

    const strict = trainLocalClassifier(CYRILLIC_EXAMPLES, { unknownThreshold: Math.min(1, guess.confidence + 0.01) });
    const answer = strict.classify(text);
    expect(answer.category).toBe('UNKNOWN');
    expect(answer.confidence).toBeCloseTo(1 - guess.confidence, 2);
  });

  it('keeps confident answers above the threshold untouched', () => {
    const classifier = trainLocalClassifier(CYRILLIC_EXAMPLES);
    const answer = classifier.classify('позовите оператора пожалуйста');
    expect(answer.category).toBe('HUMAN_REQUEST');
    expect(answer.confidence).toBeGreaterThanOrEqual(classifier.options.unknownThreshold);
  });

  it('reports a probability distribution over every category', () => {
    const classifier = trainLocalClassifier(CYRILLIC_EXAMPLES);
    const distribution = classifier.distribution('сколько стоит интернет');
    expect(Object.keys(distribution).sort()).toEqual([...CATEGORIES].sort());
    const total = Object.values(distribution).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 9);
    const best = Object.entries(distribution).sort((a, b) => b[1] - a[1])[0]!;
    expect(best[0]).toBe('BILLING');
  });
});
