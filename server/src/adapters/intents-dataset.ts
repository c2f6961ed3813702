import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCategory } from '@support-chat/protocol';
import {
  trainLocalClassifier,
  type LabelledExample,
  type LocalClassifier,
  type LocalClassifierOverrides,
} from '../domain/classify/index.ts';

/** server/data/intents: one JSON object per line, `{"text","label","lang"}`. */
export const INTENTS_DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../data/intents');

/** The copy of the shared dev set; benchmarks leave it out to get an honest held-out number. */
export const SHARED_DEV_FILE = 'shared-dev.jsonl';

export class IntentsDatasetError extends Error {
  override name = 'IntentsDatasetError';
  readonly code = 'INTENTS_DATASET_INVALID';
}

export interface LoadIntentExamplesOptions {
  dir?: string;
  /** File names (not paths) to skip. */
  exclude?: readonly string[];
  /** Only these file names. */
  only?: readonly string[];
}

/** Reads every *.jsonl in the directory, in file-name order so training is reproducible. */
export function loadIntentExamples(options: LoadIntentExamplesOptions = {}): LabelledExample[] {
  const dir = options.dir ?? INTENTS_DATA_DIR;
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .filter((name) => !options.exclude?.includes(name))
    .filter((name) => !options.only || options.only.includes(name))
    .sort();
  return files.flatMap((name) => parseIntentLines(readFileSync(join(dir, name), 'utf8'), name));
}

export function parseIntentLines(content: string, source = 'jsonl'): LabelledExample[] {
  const examples: LabelledExample[] = [];
  content.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new IntentsDatasetError(`${source}:${i + 1}: not valid JSON`);
    }
    const { text, label, lang } = (row ?? {}) as Record<string, unknown>;
    if (typeof text !== 'string' || !isCategory(label)) {
      throw new IntentsDatasetError(`${source}:${i + 1}: expected {"text": string, "label": <category>}`);
    }
    examples.push(typeof lang === 'string' ? { text, label, lang } : { text, label });
  });
  return examples;
}

/** The offline classifier trained on every shipped example (tens of milliseconds at start-up). */
export function loadLocalClassifier(
  options: LocalClassifierOverrides = {},
  dataset: LoadIntentExamplesOptions = {},
): LocalClassifier {
  return trainLocalClassifier(loadIntentExamples(dataset), options);
}
