/**
 * The classifier the build saves and a start loads answers exactly as one trained at start would;
 * a missing or stale file (other examples) is trained again, with one log line, and saved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { trainLocalClassifier } from '../../domain/classify/index.ts';
import { loadIntentExamples } from '../intents-dataset.ts';
import { loadLocalModel } from './local-model-file.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'local-model-'));
const file = path.join(dir, 'local-classifier.bin');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const examples = loadIntentExamples();
const probes = [...examples.map((example) => example.text), '', '🙂🙂', 'zzzz qqqq', 'позовите человека!!! интернет опять лежит'];

function recordingLogger() {
  const lines: string[] = [];
  return { lines, warn: (_details: object, message: string) => lines.push(message) };
}

it('trains and saves when the file is missing, then loads a model that answers exactly as training does', () => {
  const first = recordingLogger();
  loadLocalModel({ file, examples, logger: first });
  expect(first.lines).toEqual([expect.stringMatching(/is missing: training it now/)]);

  const second = recordingLogger();
  const loaded = loadLocalModel({ file, examples, logger: second });
  expect(second.lines).toEqual([]);
  const trained = trainLocalClassifier(examples);
  for (const text of probes) {
    expect(loaded.distribution(text)).toEqual(trained.distribution(text));
    expect(loaded.classify(text)).toEqual(trained.classify(text));
  }
});

it('trains again, saying so, when the saved model was trained on other examples', () => {
  loadLocalModel({ file, examples });
  const fewer = examples.filter((_, i) => i % 2 === 0);
  const logger = recordingLogger();
  const loaded = loadLocalModel({ file, examples: fewer, logger });
  expect(logger.lines).toEqual([expect.stringMatching(/trained on other examples or options: training it now/)]);
  const trained = trainLocalClassifier(fewer);
  for (const text of probes.slice(0, 200)) expect(loaded.classify(text)).toEqual(trained.classify(text));
  // And saved: the next start loads it.
  const next = recordingLogger();
  loadLocalModel({ file, examples: fewer, logger: next });
  expect(next.lines).toEqual([]);
});
