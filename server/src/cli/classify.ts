/**
 * `pnpm classify`: JSON lines `{"text": "…"}` on stdin → one `{"category","confidence","source"}`
 * line per input on stdout, in input order. It runs the production path (loadConfig +
 * createClassifier): with OPENAI_API_KEY set it asks the LLM, with REDIS_URL it shares the
 * server's cache. A bad line answers `{"error": "…"}` in its place. stdout carries answers only;
 * logs go to stderr.
 *
 *   printf '{"text":"нет интернета"}\n' | pnpm --silent classify
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { MemoryCache } from '../adapters/cache/memory-cache.ts';
import { RedisCache } from '../adapters/cache/redis-cache.ts';
import { createClassifier } from '../adapters/classifier/create-classifier.ts';
import { systemClock } from '../adapters/clock.ts';
import { ConfigError, loadConfig } from '../config.ts';
import type { Classifier, KeyValueCache } from '../services/ports.ts';

/** Lines classified at once: enough to overlap LLM round trips, few enough to stay polite. */
const CONCURRENCY = Number(process.env.CLASSIFY_CONCURRENCY) > 0 ? Number(process.env.CLASSIFY_CONCURRENCY) : 8;

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`classify: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const logger = pino({ level: config.LOG_LEVEL, base: { cli: 'classify' } }, pino.destination(2));

  let redis: Redis | undefined;
  let cache: KeyValueCache;
  if (config.REDIS_URL) {
    // Fail fast instead of queueing commands forever: the cache is optional, answers are not.
    redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    redis.on('error', (err: Error) => logger.warn({ error: err.name }, 'redis error'));
    await redis.connect().catch(() => logger.warn('redis unreachable; classifying without the shared cache'));
    cache = new RedisCache(redis);
  } else {
    cache = new MemoryCache(systemClock);
  }

  const { classifier, close } = createClassifier({ config, cache, logger });
  try {
    await classifyLines(classifier);
  } finally {
    await close?.();
    if (redis) await redis.quit().catch(() => redis?.disconnect());
    const { hits, misses } = classifier.stats();
    logger.debug({ hits, misses }, 'classification cache');
  }
  return 0;
}

/** Reads stdin to the end; each answer is written once every earlier line's answer has been. */
async function classifyLines(classifier: Classifier): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const inFlight: Array<Promise<string>> = [];
  for await (const line of lines) {
    if (line.trim() === '') continue; // blank lines (a trailing newline, spacing) are not inputs
    inFlight.push(answer(classifier, line));
    if (inFlight.length >= CONCURRENCY) await write(await inFlight.shift()!);
  }
  while (inFlight.length > 0) await write(await inFlight.shift()!);
}

async function answer(classifier: Classifier, line: string): Promise<string> {
  let text: string;
  try {
    text = parseInput(line);
  } catch (err) {
    return JSON.stringify({ error: (err as Error).message });
  }
  try {
    const { category, confidence, source } = await classifier.classify(text);
    return JSON.stringify({ category, confidence, source });
  } catch (err) {
    return JSON.stringify({ error: `classification failed: ${err instanceof Error ? err.name : 'unknown error'}` });
  }
}

function parseInput(line: string): string {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    throw new Error('invalid JSON');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('expected an object like {"text": "..."}');
  const text = (input as { text?: unknown }).text;
  if (typeof text !== 'string') throw new Error('"text" must be a string');
  return text;
}

async function write(line: string): Promise<void> {
  if (!process.stdout.write(line + '\n')) await once(process.stdout, 'drain');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`classify: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
