/**
 * `pnpm build:server` runs this: trains the offline classifier on server/data/intents and saves it
 * to server/data/local-classifier.bin, which the server loads at start instead of training.
 */
import path from 'node:path';
import { LOCAL_MODEL_FILE, writeLocalModel } from '../adapters/classifier/local-model-file.ts';

const started = performance.now();
const { fingerprint, examples } = writeLocalModel();
console.log(`trained the classifier on ${examples} examples in ${((performance.now() - started) / 1000).toFixed(1)} s → ${path.relative(process.cwd(), LOCAL_MODEL_FILE)} (${fingerprint})`);
