import { describe, expect, it } from 'vitest';
import { escalateOnRejectedAnswers, rejectedAnswers, type AnsweredMessage } from './rejected-answers.ts';

const kb = (text: string): AnsweredMessage => ({ text, answeredFromKnowledge: true });
const other = (text: string): AnsweredMessage => ({ text, answeredFromKnowledge: false });

describe('rejected knowledge answers', () => {
  it('counts two answers turned down in a row, by saying so or asking again', () => {
    expect(rejectedAnswers([kb('как заморозить договор?'), other('не то'), kb('как приостановить договор на время отпуска'), other('это не ответ на мой вопрос')])).toBe(2);
    expect(rejectedAnswers([kb('как заморозить договор?'), kb('не то, как заморозить договор?'), other('не помогло')])).toBe(2);
    expect(rejectedAnswers([kb('how do i pause my contract'), kb('how do I pause my contract??'), other("that's not what I asked")])).toBe(2);
  });

  it('one turned-down answer is not yet a reason', () => {
    expect(rejectedAnswers([kb('как оплатить через сбп'), other('не то')])).toBe(1);
  });

  it('an answer the visitor took ends the streak', () => {
    expect(rejectedAnswers([kb('как оплатить через сбп'), other('спасибо'), kb('а где взять счёт?'), other('не то')])).toBe(1);
  });

  it('a message that does not reply to a knowledge answer counts nothing', () => {
    expect(rejectedAnswers([kb('как оплатить через сбп'), other('не то'), other('привет'), other('не то')])).toBe(0);
    expect(rejectedAnswers([other('какие тарифы'), other('не то')])).toBe(0);
  });

  it('a new question after an answer is not a rejection', () => {
    expect(rejectedAnswers([kb('как оплатить через сбп'), other('а сколько стоит тариф 500 мбит?')])).toBe(0);
  });
});

describe('escalation on rejected answers', () => {
  const turnedDownTwice = [kb('как заморозить договор?'), other('не то'), kb('как приостановить договор'), other('не помогло')];

  it('hands the conversation to a person at the second turned-down answer', () => {
    expect(escalateOnRejectedAnswers({ escalate: false }, turnedDownTwice)).toEqual({ escalate: true, priority: 'NORMAL', reason: 'knowledge_rejected×2' });
    expect(escalateOnRejectedAnswers({ escalate: false }, turnedDownTwice.slice(0, 2))).toEqual({ escalate: false });
  });

  it('keeps an escalation the other rules already made', () => {
    const complaint = { escalate: true as const, priority: 'HIGH' as const, reason: 'complaint' };
    expect(escalateOnRejectedAnswers(complaint, turnedDownTwice)).toBe(complaint);
  });
});
