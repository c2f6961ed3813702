import { describe, expect, it } from 'vitest';
import { decideEscalation, type ClassifiedMessage } from './decide-escalation.ts';

const OPTIONS = { repeatThreshold: 3, lowConfidenceStreak: 2, confidenceThreshold: 0.5 };
const unsure = (text: string, answeredFromKnowledge = false): ClassifiedMessage => ({ text, category: 'UNKNOWN', confidence: 0.3, answeredFromKnowledge });

describe('questions the knowledge base answered', () => {
  it('do not count as not understood, however unsure the classifier was', () => {
    const answered = [unsure('kak zamorozit dogovor', true), unsure('skolko dney mozhno', true)];
    expect(decideEscalation(answered, OPTIONS)).toEqual({ escalate: false });
  });

  it('while the same messages unanswered are a not-understood streak', () => {
    const unanswered = [unsure('kak zamorozit dogovor'), unsure('skolko dney mozhno')];
    expect(decideEscalation(unanswered, OPTIONS)).toEqual({ escalate: true, priority: 'NORMAL', reason: 'low_confidence×2' });
  });
});
