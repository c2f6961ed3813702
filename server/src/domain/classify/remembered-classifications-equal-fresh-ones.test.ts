import { describe, expect, it } from 'vitest';
import { loadIntentExamples, SHARED_DEV_FILE } from '../../adapters/intents-dataset.ts';
import { fitLocalModel, localClassifierFrom } from './local-model.ts';

// A classifier keeps its answer to a recent text. A new classifier from the same model has seen
// nothing, so its first answer is computed: the remembered ones must be exactly that.
describe('a classifier asked again about a text', () => {
  const model = fitLocalModel(loadIntentExamples({ exclude: [SHARED_DEV_FILE] }));
  const dev = loadIntentExamples({ only: [SHARED_DEV_FILE] }).map((e) => e.text);
  const texts = [...dev, '', '!!!', 'zzzz qqqq'];

  it('answers every dev-set message as a fresh classifier does, category, confidence and distribution', () => {
    const classifier = localClassifierFrom(model);
    const first = texts.map((text) => [classifier.classify(text), classifier.distribution(text)]);
    const again = texts.map((text) => [classifier.classify(text), classifier.distribution(text)]);
    const fresh = texts.map((text) => {
      const unseen = localClassifierFrom(model);
      return [unseen.classify(text), localClassifierFrom(model).distribution(text)];
    });
    expect(first).toEqual(fresh);
    expect(again).toEqual(fresh);
  });
});
