import { describe, expect, it } from 'vitest';
import { CYRILLIC_EXAMPLES } from './cyrillic-examples.fixture.ts';
import { trainLocalClassifier } from './local-model.ts';

// Trained on Cyrillic only: a Latin message can only land right through transliteration.
const classifier = trainLocalClassifier(CYRILLIC_EXAMPLES);

describe('transliterated Russian is classified like Cyrillic', () => {
  it.each([
    ['privet', 'GREETING'],
    ['zdravstvuyte', 'GREETING'],
    ['dobryi den', 'GREETING'],
    ['spasibo bolshoe', 'THANKS'],
    ['do svidaniya', 'FAREWELL'],
    ['internet ne rabotaet', 'TECH_SUPPORT_BASIC'],
    ['router ne razdayot wifi', 'TECH_SUPPORT_BASIC'],
    ['skolko stoit tarif', 'BILLING'],
    ['pozovite operatora pozhaluysta', 'HUMAN_REQUEST'],
  ])('%j → %s', (text, expected) => {
    expect(classifier.classify(text).category).toBe(expected);
  });

  it('gives a translit message the same category as its Cyrillic original', () => {
    const pairs = [
      ['интернет постоянно пропадает', 'internet postoyanno propadaet'],
      ['как оплатить интернет', 'kak oplatit internet'],
      ['хочу поговорить с человеком', 'hochu pogovorit s chelovekom'],
    ] as const;
    for (const [cyrillic, latin] of pairs) {
      expect(classifier.classify(latin).category).toBe(classifier.classify(cyrillic).category);
    }
  });

  it('understands Russian typed on the English keyboard layout', () => {
    expect(classifier.classify('ghbdtn').category).toBe('GREETING');
    expect(classifier.classify('cgfcb,j').category).toBe('THANKS');
  });
});
