/**
 * The offline classifier trained once, by the build (`pnpm build:server` runs cli/train-classifier.ts),
 * into server/data/local-classifier.json, so that a start loads it (~tens of ms) instead of training
 * (~0.4 s idle, seconds on a loaded host). The file names the fingerprint of what it was trained on
 * — the examples, the options, this format — and a start that finds it missing or stale trains the
 * model itself, says so in one line, and saves it for the next start when it may write there.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  fitLocalModel,
  localClassifierFrom,
  resolveLocalClassifierOptions,
  type LabelledExample,
  type LocalClassifier,
  type TrainedLocalModel,
} from '../../domain/classify/index.ts';
import { loadIntentExamples } from '../intents-dataset.ts';

export const LOCAL_MODEL_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../data/local-classifier.json');

/** Bumped when the saved shape or the meaning of its numbers changes. */
const FORMAT = 1;

/** Typed arrays as base64 of their bytes (little-endian, as on every platform Node runs on). */
interface SavedModel {
  fingerprint: string;
  options: TrainedLocalModel['options'];
  ids: string;
  idf: string;
  classes: number;
  weights: string;
  bias: string;
}

export interface LoadLocalModelOptions {
  file?: string;
  examples?: readonly LabelledExample[];
  logger?: { warn(details: object, message: string): void };
}

/** The shipped classifier: from the build's file when it matches today's examples, else trained now. */
export function loadLocalModel(options: LoadLocalModelOptions = {}): LocalClassifier {
  const file = options.file ?? LOCAL_MODEL_FILE;
  const examples = options.examples ?? loadIntentExamples();
  const fingerprint = fingerprintOf(examples);
  const saved = readSaved(file);
  if (saved?.fingerprint === fingerprint) return localClassifierFrom(fromSaved(saved));

  const reason = saved ? 'was trained on other examples or options' : 'is missing';
  options.logger?.warn({ file }, `the trained classifier ${reason}: training it now (pnpm build:server saves it)`);
  const trained = fitLocalModel(examples);
  try {
    saveLocalModel(trained, fingerprint, file);
  } catch {
    // A read-only install still starts; it trains again next time.
  }
  return localClassifierFrom(trained);
}

/** Trains on the shipped examples and saves the result; what the build runs. */
export function writeLocalModel(file = LOCAL_MODEL_FILE): { fingerprint: string; examples: number } {
  const examples = loadIntentExamples();
  const fingerprint = fingerprintOf(examples);
  saveLocalModel(fitLocalModel(examples), fingerprint, file);
  return { fingerprint, examples: examples.length };
}

function fingerprintOf(examples: readonly LabelledExample[]): string {
  return createHash('sha256')
    .update(JSON.stringify({ format: FORMAT, options: resolveLocalClassifierOptions(), examples }))
    .digest('hex')
    .slice(0, 16);
}

function saveLocalModel({ options, space, model }: TrainedLocalModel, fingerprint: string, file: string): void {
  const saved: SavedModel = {
    fingerprint,
    options,
    ids: base64(space.ids),
    idf: base64(space.idf),
    classes: model.classes,
    weights: base64(model.weights),
    bias: base64(model.bias),
  };
  // Whole or not at all: parallel test processes and a start may write it at the same time.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(saved));
  renameSync(partial, file);
}

function readSaved(file: string): SavedModel | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SavedModel;
  } catch {
    return undefined; // missing or unreadable: trained again
  }
}

function fromSaved(saved: SavedModel): TrainedLocalModel {
  return {
    options: saved.options,
    space: { ids: new Int32Array(bytes(saved.ids)), idf: new Float64Array(bytes(saved.idf)) },
    model: { classes: saved.classes, weights: new Float64Array(bytes(saved.weights)), bias: new Float64Array(bytes(saved.bias)) },
  };
}

function base64(array: Int32Array | Float64Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

/** A fresh, aligned ArrayBuffer (a decoded Buffer may sit at any offset of a shared pool). */
function bytes(text: string): ArrayBuffer {
  const decoded = Buffer.from(text, 'base64');
  return decoded.buffer.slice(decoded.byteOffset, decoded.byteOffset + decoded.byteLength) as ArrayBuffer;
}
