import { describe, expect, it } from 'vitest';
import { decideClassification, parseLlmResult } from './check-llm-result.ts';

describe('parseLlmResult', () => {
  it('accepts an allow-listed category with a confidence in 0..1', () => {
    expect(parseLlmResult('{"category":"BILLING","confidence":0.93}')).toEqual({ category: 'BILLING', confidence: 0.93 });
  });

  it('accepts the bounds 0 and 1', () => {
    expect(parseLlmResult('{"category":"UNKNOWN","confidence":0}')).toEqual({ category: 'UNKNOWN', confidence: 0 });
    expect(parseLlmResult('{"category":"GREETING","confidence":1}')).toEqual({ category: 'GREETING', confidence: 1 });
  });

  it('ignores extra fields instead of passing them on', () => {
    expect(parseLlmResult('{"category":"THANKS","confidence":0.9,"note":"x"}')).toEqual({ category: 'THANKS', confidence: 0.9 });
  });

  it('unwraps a ```json fence from servers that ignore response_format', () => {
    expect(parseLlmResult('```json\n{"category":"ACCOUNT","confidence":0.9}\n```')).toEqual({ category: 'ACCOUNT', confidence: 0.9 });
  });

  it.each([
    ['an off-list category', '{"category":"FREE_MONTH","confidence":0.99}'],
    ['a lower-case category', '{"category":"billing","confidence":0.9}'],
    ['a confidence above 1', '{"category":"BILLING","confidence":1.5}'],
    ['a negative confidence', '{"category":"BILLING","confidence":-0.1}'],
    ['a confidence given as a string', '{"category":"BILLING","confidence":"0.9"}'],
    ['a missing confidence', '{"category":"BILLING"}'],
    ['a missing category', '{"confidence":0.9}'],
    ['invalid JSON', '{"category":"BILLING",'],
    ['prose', 'The category is BILLING.'],
    ['a JSON array', '["BILLING",0.9]'],
    ['JSON null', 'null'],
    ['an empty string', ''],
  ])('rejects %s', (_name, content) => {
    expect(parseLlmResult(content)).toBeNull();
  });

  it('rejects a missing content (refusal or tool call)', () => {
    expect(parseLlmResult(null)).toBeNull();
    expect(parseLlmResult(undefined)).toBeNull();
  });
});

describe('decideClassification', () => {
  const options = { llmThreshold: 0.85, localThreshold: 0.6 };

  it('uses a confident LLM answer even when the offline model disagrees', () => {
    expect(
      decideClassification({ category: 'BILLING', confidence: 0.9 }, { category: 'ACCOUNT', confidence: 0.99 }, options),
    ).toEqual({ category: 'BILLING', confidence: 0.9, source: 'llm' });
  });

  it('trusts an LLM answer exactly at the threshold', () => {
    expect(decideClassification({ category: 'BILLING', confidence: 0.85 }, { category: 'UNKNOWN', confidence: 0 }, options).source).toBe('llm');
  });

  it('does not trust an unsure LLM answer: a confident offline result stands in', () => {
    expect(
      decideClassification({ category: 'BILLING', confidence: 0.5 }, { category: 'OUTAGE_REPORT', confidence: 0.7 }, options),
    ).toEqual({ category: 'OUTAGE_REPORT', confidence: 0.7, source: 'local' });
  });

  it('answers UNKNOWN when neither the LLM nor the offline model is confident', () => {
    expect(
      decideClassification({ category: 'BILLING', confidence: 0.5 }, { category: 'BILLING', confidence: 0.4 }, options),
    ).toEqual({ category: 'UNKNOWN', confidence: 0.5, source: 'llm' });
  });
});
