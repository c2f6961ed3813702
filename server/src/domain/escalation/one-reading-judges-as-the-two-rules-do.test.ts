import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLocalModel } from '../../adapters/classifier/local-model-file.ts';
import { loadIntentExamples, SHARED_DEV_FILE } from '../../adapters/intents-dataset.ts';
import { categoryInContext, decideEscalation, judgeInContext, type ClassifiedMessage } from './decide-escalation.ts';
import { RULES_HISTORY } from './replay-conversation.ts';

const RULES = { repeatThreshold: 3, lowConfidenceStreak: 2, confidenceThreshold: 0.5 };

describe('judgeInContext', () => {
  const model = loadLocalModel();
  const judgementSet = readFileSync(new URL('../../../../bench/data/judgement/conversations.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { messages: string[] }).messages);
  const dev = loadIntentExamples({ only: [SHARED_DEV_FILE] }).map((e) => e.text);
  // The dev set dealt into conversations of 1–12 messages, beside the judgement set's.
  const conversations = [...judgementSet];
  for (let at = 0, length = 1; at < dev.length; at += length, length = (length % RULES_HISTORY) + 1) conversations.push(dev.slice(at, at + length));

  it('decides as decideEscalation and categoryInContext do, at every message of every conversation', () => {
    const differing: string[] = [];
    for (const texts of conversations) {
      const messages: ClassifiedMessage[] = [];
      for (const text of texts) {
        messages.push({ text, ...model.classify(text) });
        const history = messages.slice(-RULES_HISTORY);
        const judged = judgeInContext(history, RULES);
        const separately = { escalation: decideEscalation(history, RULES), category: categoryInContext(history, RULES) };
        if (JSON.stringify(judged) !== JSON.stringify(separately)) differing.push(text);
      }
    }
    expect(differing).toEqual([]);
  });

  it('does not escalate an empty conversation', () => {
    expect(judgeInContext([], RULES)).toEqual({ escalation: { escalate: false }, category: 'UNKNOWN' });
  });
});
