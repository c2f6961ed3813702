/**
 * Classification results cached by what the message says, not how it is typed: the key is a
 * hash of the normalized text and the model id, so "Привет!!!" and "привет" share an entry and
 * switching OPENAI_MODEL starts fresh. Redis or the in-memory LRU, through KeyValueCache.
 *
 * The cache is an optimisation only: when it fails, classification still answers.
 */
import { createHash } from 'node:crypto';
import { isCategory, type Classification } from '@support-chat/protocol';
import { normalize } from '../../domain/classify/normalize.ts';
import type { Classifier, ClassifyContext, KeyValueCache } from '../../services/ports.ts';
import type { ClassifierLogger, DetailedClassification } from './openai-classifier.ts';

export interface ClassifierStats {
  hits: number;
  misses: number;
  /** hits / (hits + misses); 0 before the first lookup. */
  hitRate: number;
}

export interface StatsClassifier extends Classifier {
  stats(): ClassifierStats;
}

/** An inner classifier may mark a result as a stand-in that should not be remembered. */
export type InnerClassifier = Classifier & { classifyDetailed?(text: string, context?: ClassifyContext): Promise<DetailedClassification> };

export interface CachedClassifierOptions {
  cache: KeyValueCache;
  /** Part of the key: results of one model are never served for another. */
  modelId: string;
  /** CLASSIFICATION_CACHE_TTL_SECONDS; 0 disables caching. */
  ttlSeconds: number;
  logger?: ClassifierLogger | undefined;
}

export class CachedClassifier implements StatsClassifier {
  private hits = 0;
  private misses = 0;
  private lastWarningAt = -Infinity;
  private readonly inFlight = new Map<string, Promise<DetailedClassification>>();

  constructor(
    private readonly inner: InnerClassifier,
    private readonly options: CachedClassifierOptions,
  ) {}

  /** The cache key of a message: exported for tests and for anyone who must evict one. */
  key(text: string): string {
    const digest = createHash('sha256').update(this.options.modelId).update('\0').update(normalize(text)).digest('hex');
    return `classify:${digest}`;
  }

  async classify(text: string, context?: ClassifyContext): Promise<Classification> {
    const { cache, ttlSeconds } = this.options;
    if (ttlSeconds <= 0) {
      this.misses++;
      return this.inner.classify(text, context);
    }
    const key = this.key(text);
    // The same message already being classified (a burst, a batch): share that answer.
    const pending = this.inFlight.get(key);
    if (pending) return this.joined(await pending);

    const cached = parseEntry(await this.attempt('get', () => cache.get(key)));
    if (cached) {
      this.hits++;
      return { ...cached, source: 'cache' };
    }
    const raced = this.inFlight.get(key); // started while we were reading the cache
    if (raced) return this.joined(await raced);
    this.misses++;

    const computing = this.compute(key, text, context);
    this.inFlight.set(key, computing);
    try {
      return (await computing).classification;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async compute(key: string, text: string, context?: ClassifyContext): Promise<DetailedClassification> {
    const result = this.inner.classifyDetailed
      ? await this.inner.classifyDetailed(text, context)
      : { classification: await this.inner.classify(text, context), cacheable: true };
    if (result.cacheable) {
      const { category, confidence } = result.classification;
      await this.attempt('set', () => this.options.cache.set(key, JSON.stringify({ category, confidence }), this.options.ttlSeconds));
    }
    return result;
  }

  /** A shared answer counts as a hit when it is one the cache would have served. */
  private joined({ classification, cacheable }: DetailedClassification): Classification {
    if (!cacheable) {
      this.misses++;
      return classification;
    }
    this.hits++;
    return { category: classification.category, confidence: classification.confidence, source: 'cache' };
  }

  stats(): ClassifierStats {
    const total = this.hits + this.misses;
    return { hits: this.hits, misses: this.misses, hitRate: total === 0 ? 0 : this.hits / total };
  }

  private async attempt<T>(operation: string, run: () => Promise<T>): Promise<T | null> {
    try {
      return await run();
    } catch (err) {
      // Once a minute is enough to say the cache is down; every message would flood the log.
      const now = Date.now();
      if (now - this.lastWarningAt >= 60_000) {
        this.lastWarningAt = now;
        this.options.logger?.warn(
          { operation, error: err instanceof Error ? err.name : typeof err },
          'classification cache unavailable; classifying without it',
        );
      }
      return null;
    }
  }
}

/** A stored entry, or null for a miss or anything unreadable (an old format, a foreign write). */
function parseEntry(value: string | null | undefined): Omit<Classification, 'source'> | null {
  if (!value) return null;
  try {
    const entry = JSON.parse(value) as { category?: unknown; confidence?: unknown };
    if (!isCategory(entry.category) || typeof entry.confidence !== 'number') return null;
    return { category: entry.category, confidence: entry.confidence };
  } catch {
    return null;
  }
}
