import { describe, expect, it } from 'vitest';
import { loadIntentExamples } from '../../adapters/intents-dataset.ts';
import { foldWord, messageWords } from './message-words.ts';
import { CONCEPT_WORDS, conceptOf } from './same-request.ts';

// The plain computation conceptOf's lookup replaced: every concept in order, every prefix tried.
function plainConceptOf(forms: readonly string[]): string | undefined {
  for (const [concept, prefixes] of CONCEPT_WORDS) {
    const folded = prefixes.map(foldWord);
    if (forms.some((form) => folded.some((prefix) => (prefix.length <= 3 ? form === prefix : form.startsWith(prefix))))) return concept;
  }
  return undefined;
}

describe('conceptOf', () => {
  const messages = loadIntentExamples().map((example) => messageWords(example.text));
  // Each word as the rules see it (as written and transliterated), and the prefixes themselves with endings.
  const wordForms = messages.flatMap((m) => m.words.map((word, i) => [foldWord(word), foldWord(m.cyrillic[i]!)]));
  const prefixForms = CONCEPT_WORDS.flatMap(([, prefixes]) => prefixes.flatMap((p) => [[p], [`${p}ами`], [p.slice(0, -1)], ['xx', p]]));

  it('names the concept trying every prefix in order names, for every word of the training set', () => {
    const differing = [...wordForms, ...prefixForms].filter((forms) => conceptOf(forms) !== plainConceptOf(forms));
    expect(differing).toEqual([]);
    expect(wordForms.filter((forms) => conceptOf(forms) !== undefined).length).toBeGreaterThan(500);
  });
});
