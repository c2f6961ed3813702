import { describe, expect, it } from 'vitest';
import { conversationIntent, escalationCategory } from './conversation-intent.ts';

describe('conversationIntent', () => {
  it('an escalation for a human request is HUMAN_REQUEST, with the classifier confidence when it said so', () => {
    expect(conversationIntent({ category: 'HUMAN_REQUEST', confidence: 1 }, 'HUMAN_REQUEST', { reason: 'human_request' })).toEqual({ category: 'HUMAN_REQUEST', confidence: 1 });
  });

  it('a repeated tech question the classifier called UNKNOWN is the repeated category, without a confidence it never had', () => {
    expect(conversationIntent({ category: 'UNKNOWN', confidence: 0.82 }, 'TECH_SUPPORT_BASIC', { reason: 'repeat:TECH_SUPPORT_BASIC×3' })).toEqual({
      category: 'TECH_SUPPORT_BASIC',
      confidence: null,
    });
  });

  it('without an escalation the message is taken as read in context', () => {
    expect(conversationIntent({ category: 'UNKNOWN', confidence: 0.4 }, 'BILLING', null)).toEqual({ category: 'BILLING', confidence: null });
    expect(conversationIntent({ category: 'BILLING', confidence: 0.9 }, 'BILLING', null)).toEqual({ category: 'BILLING', confidence: 0.9 });
  });

  it('small talk leaves the intent alone', () => {
    expect(conversationIntent({ category: 'THANKS', confidence: 0.99 }, 'THANKS', null)).toBeNull();
  });

  it('reasons that name no category take the message in context', () => {
    expect(escalationCategory('low_confidence×3')).toBeNull();
    expect(escalationCategory('knowledge_rejected×2')).toBeNull();
    expect(conversationIntent({ category: 'UNKNOWN', confidence: 0.3 }, 'UNKNOWN', { reason: 'low_confidence×3' })).toEqual({ category: 'UNKNOWN', confidence: 0.3 });
    expect(escalationCategory('complaint')).toBe('COMPLAINT');
    expect(escalationCategory('human_request×2')).toBe('HUMAN_REQUEST');
  });
});
