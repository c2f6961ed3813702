/**
 * Classification cache on a replay of repeated messages: 5,000 visitor messages drawn from the
 * shared dev texts with a Zipf-like skew (a few phrasings are very common, as "привет" and
 * "интернет не работает" are), each sometimes re-typed with other case and spacing — which
 * normalization folds onto the same cache key. Prints the hit rate on the memory LRU and on Redis.
 * The cache stands before the LLM in production; here it wraps the offline model (no key needed),
 * and the offline model alone is timed beside it — the reason it runs uncached.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { loadConfig } from '../server/src/config.ts';
import { MemoryCache } from '../server/src/adapters/cache/memory-cache.ts';
import { RedisCache } from '../server/src/adapters/cache/redis-cache.ts';
import { systemClock } from '../server/src/adapters/clock.ts';
import { CachedClassifier, type StatsClassifier } from '../server/src/adapters/classifier/cached-classifier.ts';
import { createClassifier } from '../server/src/adapters/classifier/create-classifier.ts';
import type { KeyValueCache } from '../server/src/services/ports.ts';
import { seededRandom } from '../server/src/domain/classify/seeded-random.ts';
import { ms, summarize } from './percentiles.ts';

const REPLAY = 5000;
const DEV = new URL('../server/data/intents/shared-dev.jsonl', import.meta.url);

function replay(): string[] {
  const texts = readFileSync(DEV, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { text: string }).text);
  const random = seededRandom(7);
  // Zipf(1): the k-th most common phrasing appears ∝ 1/k.
  const weights = texts.map((_, k) => 1 / (k + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const pick = () => {
    let r = random() * total;
    for (let k = 0; k < texts.length; k++) if ((r -= weights[k]!) <= 0) return texts[k]!;
    return texts.at(-1)!;
  };
  return Array.from({ length: REPLAY }, () => {
    const text = pick();
    const roll = random();
    if (roll < 0.2) return text.toUpperCase();
    if (roll < 0.4) return `  ${text.replace(/ /g, '  ')} `;
    return text;
  });
}

async function measure(label: string, cache: KeyValueCache | null): Promise<void> {
  // Without OPENAI_API_KEY this is the offline model, uncached (what production runs then).
  const { classifier: local } = createClassifier({ config: loadConfig({}), cache: new MemoryCache(systemClock) });
  const classifier: StatsClassifier = cache ? new CachedClassifier(local, { cache, modelId: 'bench', ttlSeconds: 300 }) : local;
  const took: number[] = [];
  for (const text of replay()) {
    const start = performance.now();
    await classifier.classify(text);
    took.push(performance.now() - start);
  }
  const { hits, misses, hitRate } = classifier.stats();
  const s = summarize(took);
  if (!cache) return console.log(`offline model, uncached: classify p50=${ms(s.p50)} p99=${ms(s.p99)} over ${REPLAY} replayed messages`);
  console.log(`classification cache (${label}): hit rate ${(hitRate * 100).toFixed(1)}% (hits ${hits}, misses ${misses}) over ${REPLAY} replayed messages; classify p50=${ms(s.p50)} p99=${ms(s.p99)}`);
}

export async function runCacheReplayBench(): Promise<void> {
  await measure('none', null);
  await measure('memory LRU', new MemoryCache(systemClock));
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await measure('redis', new RedisCache(redis, `bench:${randomUUID()}:`));
  } catch (error) {
    console.log(`classification cache (redis): skipped — ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCacheReplayBench().then(() => process.exit(0), (error) => (console.error(error), process.exit(1)));
}
