/**
 * The six conversations of issue 11, each a fresh conversation as a visitor would type it,
 * replayed through the shipped offline model (trained as the build trains it) and the production
 * rules — and once more with the classifications the issue reported, so the rules hold even when
 * the model guesses as badly as it did then.
 */
import type { Category } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { loadIntentExamples } from '../../adapters/intents-dataset.ts';
import { trainLocalClassifier } from '../classify/index.ts';
import type { EscalationOptions } from './decide-escalation.ts';
import { replayConversation } from './replay-conversation.ts';

const model = trainLocalClassifier(loadIntentExamples());
// What server.ts passes, and the stricter AI_CONFIDENCE_THRESHOLD as the "not understood" bar.
const RULES: Array<[string, EscalationOptions]> = [
  ['production rules', { repeatThreshold: 3, lowConfidenceStreak: 2, confidenceThreshold: 0.5 }],
  ['"not understood" below 0.85', { repeatThreshold: 3, lowConfidenceStreak: 2, confidenceThreshold: 0.85 }],
];

const replay = (texts: string[], rules: EscalationOptions) => replayConversation(texts, (text) => model.classify(text), rules).escalatedAt;

/** The classifications the issue reported, message by message, for the same conversations. */
const reported =
  (...classes: Array<[Category, number]>) =>
  () => {
    let i = 0;
    return (_text: string) => {
      const [category, confidence] = classes[i++]!;
      return { category, confidence };
    };
  };

describe.each(RULES)('with the shipped model and %s', (_, rules) => {
  it('a payment follow-up after "kak oplatit" is a question, not a complaint', () => {
    expect(replay(['privetik', 'kak oplatit', 'a cherez sbp mozhno?'], rules)).toBeNull();
  });

  it('"вопрос номер 1" does not call an operator', () => {
    expect(replay(['вопрос номер 1'], rules)).toBeNull();
  });

  it('follow-ups about a plan are understood in context, not escalated as not understood', () => {
    expect(replay(['есть тариф без телевидения?', 'а скорость там какая будет?', 'ок, а когда начнёт действовать?'], rules)).toBeNull();
  });

  it('a refund asked three times in other words escalates as a repeat at the third', () => {
    expect(replay(['how do i get a refund for last month', 'refund please', 'how do I get my money back for last month??'], rules)).toEqual({
      index: 2,
      reason: 'repeat:BILLING×3',
    });
  });

  it('a password that will not restore, said three ways, escalates as a repeat at the third', () => {
    expect(replay(['не могу восстановить пароль от лк', 'пароль не восстанавливается', 'я же говорю пароль не могу восстановить!!!'], rules)).toEqual({
      index: 2,
      reason: 'repeat:ACCOUNT×3',
    });
  });

  it('"no signal" restated around a detail escalates when said the third time, not counting the detail', () => {
    expect(replay(['на телевизоре нет сигнала', 'приставку перезагружала', 'всё равно нет сигнала', 'так нет сигнала же!!'], rules)).toEqual({
      index: 3,
      reason: 'repeat:TECH_SUPPORT_BASIC×3',
    });
  });
});

describe('with the classifications the issue reported', () => {
  const rules = RULES[0]![1];
  const replayAs = (texts: string[], classify: () => (text: string) => { category: Category; confidence: number }) =>
    replayConversation(texts, classify(), rules).escalatedAt;

  it('COMPLAINT at 0.36 on a payment follow-up is not escalated as a complaint', () => {
    const classes = reported(['GREETING', 0.999], ['BILLING', 1], ['COMPLAINT', 0.36]);
    expect(replayAs(['privetik', 'kak oplatit', 'a cherez sbp mozhno?'], classes)).toBeNull();
  });

  it('HUMAN_REQUEST at 0.49 without a word about a person is not a request for one', () => {
    expect(replayAs(['вопрос номер 1'], reported(['HUMAN_REQUEST', 0.49]))).toBeNull();
  });

  it('follow-ups the model could not place (UNKNOWN 0.52, 0.42) continue the plan question', () => {
    const classes = reported(['BILLING', 0.99], ['UNKNOWN', 0.52], ['UNKNOWN', 0.42]);
    expect(replayAs(['есть тариф без телевидения?', 'а скорость там какая будет?', 'ок, а когда начнёт действовать?'], classes)).toBeNull();
  });

  it('the same request as BILLING ×3 in other words is a repeat', () => {
    const classes = reported(['BILLING', 0.99], ['BILLING', 0.99], ['BILLING', 0.97]);
    expect(replayAs(['how do i get a refund for last month', 'refund please', 'how do I get my money back for last month??'], classes)).toEqual({
      index: 2,
      reason: 'repeat:BILLING×3',
    });
  });

  it('"no signal" classified TECH, TECH, OUTAGE 0.42, TECH is still one request', () => {
    const classes = reported(['TECH_SUPPORT_BASIC', 0.98], ['TECH_SUPPORT_BASIC', 0.82], ['OUTAGE_REPORT', 0.42], ['TECH_SUPPORT_BASIC', 0.7]);
    expect(replayAs(['на телевизоре нет сигнала', 'приставку перезагружала', 'всё равно нет сигнала', 'так нет сигнала же!!'], classes)).toEqual({
      index: 3,
      reason: 'repeat:TECH_SUPPORT_BASIC×3',
    });
  });
});
