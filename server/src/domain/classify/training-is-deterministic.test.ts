import { describe, expect, it } from 'vitest';
import { CYRILLIC_EXAMPLES } from './cyrillic-examples.fixture.ts';
import { EmptyTrainingSetError, trainLocalClassifier } from './local-model.ts';

const probes = ['привет', 'интернет тормозит', 'сколько денег на счету', 'qwerty', 'оператор'];

describe('training', () => {
  it('gives identical answers for identical data, whichever learner', () => {
    for (const learner of ['linear-svm', 'softmax-regression', 'nearest-centroid'] as const) {
      const first = trainLocalClassifier(CYRILLIC_EXAMPLES, { learner });
      const second = trainLocalClassifier(CYRILLIC_EXAMPLES, { learner });
      for (const text of probes) expect(second.distribution(text)).toEqual(first.distribution(text));
    }
  });

  it('does not depend on the order of the examples', () => {
    const forward = trainLocalClassifier(CYRILLIC_EXAMPLES);
    const reversed = trainLocalClassifier([...CYRILLIC_EXAMPLES].reverse());
    for (const text of probes) expect(reversed.classify(text).category).toBe(forward.classify(text).category);
  });

  it('refuses to train on nothing with a named error', () => {
    expect(() => trainLocalClassifier([])).toThrow(EmptyTrainingSetError);
  });
});
