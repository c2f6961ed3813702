// The offline intent classifier: the default brain without an LLM key and the LLM's fallback.
// Pure: it learns from examples handed to it; reading them from disk is adapters/intents-dataset.ts.
export { normalize } from './normalize.ts';
export {
  trainLocalClassifier,
  fitLocalModel,
  localClassifierFrom,
  resolveLocalClassifierOptions,
  DEFAULT_LOCAL_CLASSIFIER_OPTIONS,
  EmptyTrainingSetError,
  type LabelledExample,
  type Learner,
  type LocalClassification,
  type LocalClassifier,
  type LocalClassifierOptions,
  type LocalClassifierOverrides,
  type TrainedLocalModel,
} from './local-model.ts';
export { looksLikeInjection } from './signals.ts';
export {
  chooseUnknownThreshold,
  crossValidate,
  crossValidateDistributions,
  decide,
  evaluate,
  expectedCalibrationError,
  fitTemperature,
  predictAll,
  stratifiedFolds,
  temper,
  type EvaluationReport,
  type Prediction,
  type ScoredExample,
} from './evaluation.ts';
