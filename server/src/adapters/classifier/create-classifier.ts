/**
 * The one place that decides which classifier runs, used by server.ts and the classify CLI alike
 * so the CLI measures exactly what production does: with OPENAI_API_KEY, the LLM with the
 * offline model as its fallback, behind the cache; without, the offline model alone, uncached:
 * it classifies a message in about a tenth of a millisecond, less than a round trip to Redis.
 */
import { createHash } from 'node:crypto';
import type { Classification } from '@support-chat/protocol';
import type { Config } from '../../config.ts';
import type { Clock, KeyValueCache } from '../../services/ports.ts';
import { CachedClassifier, type ClassifierStats, type StatsClassifier } from './cached-classifier.ts';
import { loadLocalModel } from './local-model-file.ts';
import { OpenAiClassifier, SYSTEM_PROMPT, type ClassifierLogger, type LocalModel } from './openai-classifier.ts';

export type ClassifierConfig = Pick<
  Config,
  | 'OPENAI_API_KEY'
  | 'OPENAI_API_BASE'
  | 'OPENAI_MODEL'
  | 'AI_CLASSIFICATION_TIMEOUT'
  | 'AI_CONFIDENCE_THRESHOLD'
  | 'CLASSIFICATION_CACHE_TTL_SECONDS'
>;

export interface CreateClassifierOptions {
  config: ClassifierConfig;
  cache: KeyValueCache;
  logger?: ClassifierLogger | undefined;
  clock?: Clock;
  /** A stand-in for the offline model (tests); the one the build trained is loaded otherwise. */
  local?: LocalModel;
  /** The offline model's bar for "confident" when it overrides an unsure LLM. */
  localThreshold?: number;
  /** Spends one of a site's paid LLM calls; false when its budget is spent (see OpenAiClassifier). */
  spendLlmBudget?: (siteId: string) => Promise<boolean>;
}

export interface ClassifierHandle {
  classifier: StatsClassifier;
  close?(): Promise<void>;
}

/** Used when the offline model does not say what its own confidence bar is (a test stand-in). */
export const DEFAULT_LOCAL_THRESHOLD = 0.6;

/** The offline model as a Classifier: answers are `source: 'local'`; every one counts as a cache miss. */
export class LocalClassifier implements StatsClassifier {
  private classified = 0;

  constructor(private readonly model: LocalModel) {}

  async classify(text: string): Promise<Classification> {
    this.classified++;
    const { category, confidence } = this.model.classify(text);
    return { category, confidence, source: 'local' };
  }

  stats(): ClassifierStats {
    return { hits: 0, misses: this.classified, hitRate: 0 };
  }
}

export function createClassifier(options: CreateClassifierOptions): ClassifierHandle {
  const { config, cache, logger } = options;
  const local: LocalModel = options.local ?? loadLocalModel({ logger });
  const localThreshold = options.localThreshold ?? ownThreshold(local) ?? DEFAULT_LOCAL_THRESHOLD;
  if (!config.OPENAI_API_KEY) return { classifier: new LocalClassifier(local) };

  const llm = new OpenAiClassifier({
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_API_BASE,
    model: config.OPENAI_MODEL,
    timeoutMs: config.AI_CLASSIFICATION_TIMEOUT * 1000,
    confidenceThreshold: config.AI_CONFIDENCE_THRESHOLD,
    local,
    localThreshold,
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.spendLlmBudget ? { spendBudget: options.spendLlmBudget } : {}),
  });
  // A new prompt or threshold can change answers, so it gets fresh cache entries.
  const modelId = `openai:${config.OPENAI_MODEL}:${config.AI_CONFIDENCE_THRESHOLD}:${createHash('sha256').update(SYSTEM_PROMPT).digest('hex').slice(0, 12)}`;
  return { classifier: new CachedClassifier(llm, { cache, ttlSeconds: config.CLASSIFICATION_CACHE_TTL_SECONDS, logger, modelId }) };
}

/** The bar below which the offline model itself says UNKNOWN (`options.unknownThreshold`). */
function ownThreshold(model: LocalModel): number | undefined {
  const threshold = (model as { options?: { unknownThreshold?: unknown } }).options?.unknownThreshold;
  return typeof threshold === 'number' ? threshold : undefined;
}
