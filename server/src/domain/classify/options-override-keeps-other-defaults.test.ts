import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCAL_CLASSIFIER_OPTIONS, resolveLocalClassifierOptions } from './local-model.ts';

describe('classifier options', () => {
  it('overrides one nested value and keeps every other default', () => {
    const options = resolveLocalClassifierOptions({ features: { weights: { word: 3 } }, svm: { c: 2 } });
    expect(options.features.weights).toEqual({ ...DEFAULT_LOCAL_CLASSIFIER_OPTIONS.features.weights, word: 3 });
    expect(options.features.charNgramMax).toBe(DEFAULT_LOCAL_CLASSIFIER_OPTIONS.features.charNgramMax);
    expect(options.svm).toEqual({ ...DEFAULT_LOCAL_CLASSIFIER_OPTIONS.svm, c: 2 });
    expect(options.unknownThreshold).toBe(DEFAULT_LOCAL_CLASSIFIER_OPTIONS.unknownThreshold);
  });
});
