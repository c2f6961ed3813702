import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATEGORIES } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { normalize } from '../domain/classify/index.ts';
import {
  IntentsDatasetError,
  SHARED_DEV_FILE,
  loadIntentExamples,
  loadLocalClassifier,
  parseIntentLines,
} from './intents-dataset.ts';

describe('intents dataset', () => {
  it('reads every .jsonl file of a directory in name order, honouring only/exclude', () => {
    const dir = mkdtempSync(join(tmpdir(), 'intents-'));
    writeFileSync(join(dir, 'b.jsonl'), '{"text":"пока","label":"FAREWELL","lang":"ru"}\n');
    writeFileSync(join(dir, 'a.jsonl'), '{"text":"hi","label":"GREETING"}\n\n');
    writeFileSync(join(dir, 'notes.txt'), 'not data');
    expect(loadIntentExamples({ dir })).toEqual([
      { text: 'hi', label: 'GREETING' },
      { text: 'пока', label: 'FAREWELL', lang: 'ru' },
    ]);
    expect(loadIntentExamples({ dir, exclude: ['a.jsonl'] }).map((e) => e.text)).toEqual(['пока']);
    expect(loadIntentExamples({ dir, only: ['a.jsonl'] }).map((e) => e.text)).toEqual(['hi']);
  });

  it('names the file and line of a bad row', () => {
    expect(() => parseIntentLines('{"text":"hi","label":"GREETING"}\n{oops', 'x.jsonl')).toThrow(/x\.jsonl:2: not valid JSON/);
    expect(() => parseIntentLines('{"text":"hi","label":"HELLO"}', 'y.jsonl')).toThrow(IntentsDatasetError);
  });

  it('ships at least 80 of our own examples per category, over 1000 in all, plus the shared dev file', () => {
    const own = loadIntentExamples({ exclude: [SHARED_DEV_FILE] });
    expect(own.length).toBeGreaterThanOrEqual(1000);
    for (const category of CATEGORIES) {
      expect(own.filter((e) => e.label === category).length, category).toBeGreaterThanOrEqual(80);
    }
    expect(loadIntentExamples({ only: [SHARED_DEV_FILE] })).toHaveLength(200);
  });

  it('never labels the same normalized text two different ways', () => {
    const labels = new Map<string, string>();
    for (const { text, label } of loadIntentExamples({ exclude: [SHARED_DEV_FILE] })) {
      const key = normalize(text);
      expect(labels.get(key) ?? label, text).toBe(label);
      labels.set(key, label);
    }
  });

  it('loads a ready classifier from the shipped files', () => {
    const classifier = loadLocalClassifier();
    expect(classifier.classify('у всего дома нет интернета').category).toBe('OUTAGE_REPORT');
  });
});
