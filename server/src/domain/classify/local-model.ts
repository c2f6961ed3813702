import { CATEGORIES, type Category } from '@support-chat/protocol';
import { DEFAULT_FEATURE_OPTIONS, extractFeatures, isSignalFeature, type FeatureOptions } from './features.ts';
import { linearScores, softmax, type LinearModel } from './linear-model.ts';
import { DEFAULT_LINEAR_SVM_OPTIONS, trainLinearSvm, type LinearSvmOptions } from './linear-svm.ts';
import { trainNearestCentroid } from './nearest-centroid.ts';
import { Memo } from '../memo.ts';
import { normalize } from './normalize.ts';
import {
  DEFAULT_SOFTMAX_REGRESSION_OPTIONS,
  trainSoftmaxRegression,
  type SoftmaxRegressionOptions,
} from './softmax-regression.ts';
import { fitTfidf, vectorize, type TfidfSpace } from './tfidf.ts';
import { applyUnknownThreshold } from './unknown-threshold.ts';

export interface LabelledExample {
  text: string;
  label: Category;
  lang?: string;
}

export type Learner = 'linear-svm' | 'softmax-regression' | 'nearest-centroid';

export interface LocalClassifierOptions {
  learner: Learner;
  features: FeatureOptions;
  /** Features seen in fewer training messages are ignored. */
  minDf: number;
  svm: LinearSvmOptions;
  softmaxRegression: SoftmaxRegressionOptions;
  /** Divides the scores before softmax; fitted so that confidence matches accuracy. */
  temperature: number;
  /** Below this calibrated confidence the answer is UNKNOWN rather than a guess. */
  unknownThreshold: number;
}

/**
 * Defaults chosen by stratified 5-fold cross-validation on our own examples; bench/classifier.ts
 * prints the comparison and the temperature/threshold CV would fit today. The linear SVM matched
 * softmax regression (within noise) at a quarter of its training time and beat nearest centroid
 * by ~12 points; 3–5-grams edged out 2–4 and 2–5 over four fold seeds. The temperature minimises
 * out-of-fold log-loss, the threshold maximises out-of-fold accuracy.
 */
export const DEFAULT_LOCAL_CLASSIFIER_OPTIONS: LocalClassifierOptions = {
  learner: 'linear-svm',
  features: DEFAULT_FEATURE_OPTIONS,
  minDf: 1,
  svm: DEFAULT_LINEAR_SVM_OPTIONS,
  softmaxRegression: DEFAULT_SOFTMAX_REGRESSION_OPTIONS,
  temperature: 0.2,
  unknownThreshold: 0.28,
};

/** Options to change, at any depth: `{ features: { charNgramMax: 4 } }` keeps the other defaults. */
export type LocalClassifierOverrides = Partial<Omit<LocalClassifierOptions, 'features' | 'svm' | 'softmaxRegression'>> & {
  features?: Partial<Omit<FeatureOptions, 'weights'>> & { weights?: Partial<FeatureOptions['weights']> };
  svm?: Partial<LinearSvmOptions>;
  softmaxRegression?: Partial<SoftmaxRegressionOptions>;
};

export function resolveLocalClassifierOptions(overrides: LocalClassifierOverrides = {}): LocalClassifierOptions {
  const defaults = DEFAULT_LOCAL_CLASSIFIER_OPTIONS;
  return {
    ...defaults,
    ...overrides,
    features: {
      ...defaults.features,
      ...overrides.features,
      weights: { ...defaults.features.weights, ...overrides.features?.weights },
    },
    svm: { ...defaults.svm, ...overrides.svm },
    softmaxRegression: { ...defaults.softmaxRegression, ...overrides.softmaxRegression },
  };
}

export interface LocalClassification {
  category: Category;
  /** 0..1; for a confident category, the calibrated probability that it is right. */
  confidence: number;
}

export interface LocalClassifier {
  classify(text: string): LocalClassification;
  /** Calibrated probability of every category, before the UNKNOWN threshold is applied. */
  distribution(text: string): Record<Category, number>;
  readonly options: LocalClassifierOptions;
}

export class EmptyTrainingSetError extends Error {
  override name = 'EmptyTrainingSetError';
  readonly code = 'EMPTY_TRAINING_SET';
  constructor() {
    super('trainLocalClassifier needs at least one labelled example');
  }
}

export function trainLocalClassifier(
  examples: readonly LabelledExample[],
  overrides: LocalClassifierOverrides = {},
): LocalClassifier {
  return localClassifierFrom(fitLocalModel(examples, overrides));
}

/**
 * What training learns, as plain data: all that `classify` needs. The build saves it so that a
 * start loads it instead of training (adapters/classifier/local-model-file.ts).
 */
export interface TrainedLocalModel {
  options: LocalClassifierOptions;
  space: TfidfSpace;
  model: LinearModel;
}

export function fitLocalModel(examples: readonly LabelledExample[], overrides: LocalClassifierOverrides = {}): TrainedLocalModel {
  if (examples.length === 0) throw new EmptyTrainingSetError();
  const options = resolveLocalClassifierOptions(overrides);
  const bags = examples.map((example) => extractFeatures(normalize(example.text), options.features));
  const space = fitTfidf(bags, options.minDf);
  const vectors = bags.map((bag) => vectorize(space, bag));
  const labels = examples.map((example) => CATEGORIES.indexOf(example.label));
  return { options, space, model: fitLearner(options, vectors, labels, space.idf.length) };
}

export function localClassifierFrom({ options, space, model }: TrainedLocalModel): LocalClassifier {
  const compute = (text: string): Float64Array | null => {
    const normalized = normalize(text);
    if (normalized === '') return null;
    const vector = vectorize(space, extractFeatures(normalized, options.features));
    // No word or n-gram the model has ever seen: there is no evidence for any category.
    if (!vector.indices.some((index) => !isSignalFeature(space.ids[index]!))) return null;
    return softmax(linearScores(model, vector), options.temperature);
  };
  // Visitors send the same words again ("привет", "оператор", a question asked twice, the same
  // question by many): this model's answer to a text is kept while it is recent. Read-only.
  const known = new Memo<Float64Array | null>();
  const probabilities = (text: string): Float64Array | null => known.remember(text, () => compute(text));

  return {
    options,
    classify(text) {
      const p = probabilities(text);
      if (!p) return { category: 'UNKNOWN', confidence: 1 };
      let best = 0;
      for (let k = 1; k < p.length; k += 1) if (p[k]! > p[best]!) best = k;
      const { category, confidence } = applyUnknownThreshold(CATEGORIES[best]!, p[best]!, options.unknownThreshold);
      return { category, confidence: Math.round(confidence * 1000) / 1000 };
    },
    distribution(text) {
      const p = probabilities(text);
      return Object.fromEntries(
        CATEGORIES.map((category, k) => [category, p ? p[k]! : category === 'UNKNOWN' ? 1 : 0]),
      ) as Record<Category, number>;
    },
  };
}

function fitLearner(
  options: LocalClassifierOptions,
  vectors: Parameters<typeof trainLinearSvm>[0],
  labels: number[],
  features: number,
): LinearModel {
  switch (options.learner) {
    case 'linear-svm':
      return trainLinearSvm(vectors, labels, features, CATEGORIES.length, options.svm);
    case 'softmax-regression':
      return trainSoftmaxRegression(vectors, labels, features, CATEGORIES.length, options.softmaxRegression);
    case 'nearest-centroid':
      return trainNearestCentroid(vectors, labels, features, CATEGORIES.length);
  }
}
