/**
 * The offline classifier trained once, by the build (`pnpm build:server` runs cli/train-classifier.ts),
 * into server/data/local-classifier.bin, so that a start loads it (~tens of ms) instead of training
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

export const LOCAL_MODEL_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../data/local-classifier.bin');

/** Bumped when the saved shape or the meaning of its numbers changes. */
const FORMAT = 2;

/**
 * The file: a 4-byte little-endian length, then that many bytes of JSON (this header), padded to
 * 8 bytes, then the arrays' bytes one after the other (little-endian, as on every platform Node
 * runs on), each at a multiple of 8. Binary rather than JSON with base64 arrays (format 1): reading,
 * parsing and decoding those 5.4 MB took ~185 ms of CPU (load 11), this file ~38 ms, and leaves
 * no 5 MB string behind for the garbage collector; the bytes are copied straight into the arrays.
 */
interface SavedHeader {
  fingerprint: string;
  options: TrainedLocalModel['options'];
  classes: number;
  /** Element counts, in the order the arrays follow the header. */
  lengths: { ids: number; idf: number; weights: number; bias: number };
}

interface SavedModel {
  header: SavedHeader;
  model: TrainedLocalModel;
}

const ALIGN = 8;
const alignUp = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

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
  if (saved?.header.fingerprint === fingerprint) return localClassifierFrom(saved.model);

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
  const arrays = [space.ids, space.idf, model.weights, model.bias];
  const header: SavedHeader = {
    fingerprint,
    options,
    classes: model.classes,
    lengths: { ids: space.ids.length, idf: space.idf.length, weights: model.weights.length, bias: model.bias.length },
  };
  const json = Buffer.from(JSON.stringify(header));
  const parts: Buffer[] = [Buffer.alloc(4), json, Buffer.alloc(alignUp(4 + json.length) - 4 - json.length)];
  parts[0]!.writeUInt32LE(json.length);
  for (const array of arrays) {
    parts.push(Buffer.from(array.buffer, array.byteOffset, array.byteLength), Buffer.alloc(alignUp(array.byteLength) - array.byteLength));
  }
  // Whole or not at all: parallel test processes and a start may write it at the same time.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, Buffer.concat(parts));
  renameSync(partial, file);
}

function readSaved(file: string): SavedModel | undefined {
  try {
    const bytes = readFileSync(file);
    const length = bytes.readUInt32LE(0);
    const header = JSON.parse(bytes.toString('utf8', 4, 4 + length)) as SavedHeader;
    return { header, model: fromSaved(header, bytes.subarray(alignUp(4 + length))) };
  } catch {
    return undefined; // missing, unreadable or truncated (or of format 1): trained again
  }
}

/** The arrays from their bytes, which follow the header from 8-byte-aligned offsets. */
function fromSaved(header: SavedHeader, body: Buffer): TrainedLocalModel {
  let offset = 0;
  /** A fresh, aligned copy of the next array's bytes (the file's Buffer may sit at any offset of a shared pool). */
  const next = (count: number, bytesPer: number): ArrayBuffer => {
    const start = body.byteOffset + offset;
    if (offset + count * bytesPer > body.length) throw new Error('the saved classifier is truncated');
    offset += alignUp(count * bytesPer);
    return body.buffer.slice(start, start + count * bytesPer) as ArrayBuffer;
  };
  const { lengths } = header;
  const ids = new Int32Array(next(lengths.ids, 4));
  const idf = new Float64Array(next(lengths.idf, 8));
  const weights = new Float64Array(next(lengths.weights, 8));
  const bias = new Float64Array(next(lengths.bias, 8));
  return { options: header.options, space: { ids, idf }, model: { classes: header.classes, weights, bias } };
}
