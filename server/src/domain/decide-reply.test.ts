import { CATEGORIES, type Category } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { decideReply, QUEUED_ACK_QUIET_MS, type ReplyContext } from './decide-reply.ts';
import type { EscalationDecision } from './escalation/decide-escalation.ts';

const NO_ESCALATION: EscalationDecision = { escalate: false };
const REPEAT: EscalationDecision = { escalate: true, priority: 'HIGH', reason: 'repeat:TECH_SUPPORT_BASIC×3' };

function ctx(overrides: Partial<ReplyContext> & { category?: Category } = {}): ReplyContext {
  const { category = 'TECH_SUPPORT_BASIC', ...rest } = overrides;
  return {
    status: 'BOT',
    isFirstMessage: false,
    classification: { category, confidence: 0.95, source: 'local' },
    escalation: NO_ESCALATION,
    openIncident: false,
    operatorsOnline: 1,
    leftEmail: false,
    knowledgeAnswer: false,
    askEmail: true,
    lastBotReply: null,
    ...rest,
  };
}

const ORDINARY = new Set<string>(CATEGORIES);

describe('when an operator owns the conversation', () => {
  it.each<[string, Partial<ReplyContext> & { category?: Category }]>([
    ['an ordinary question', {}],
    ['a repeat', { escalation: REPEAT }],
    ['a complaint', { category: 'COMPLAINT', escalation: { escalate: true, priority: 'HIGH', reason: 'complaint' } }],
    ['an outage report during an incident', { category: 'OUTAGE_REPORT', openIncident: true }],
    ['the first message', { isFirstMessage: true }],
  ])('the bot is silent on %s', (_, overrides) => {
    expect(decideReply(ctx({ ...overrides, status: 'OPERATOR' }))).toEqual({ templates: [], knowledge: false, immediate: false, escalate: null, linkIncident: false });
  });
});

describe('while waiting for an operator', () => {
  it.each<Category>(['TECH_SUPPORT_BASIC', 'BILLING', 'GREETING', 'THANKS', 'UNKNOWN', 'HUMAN_REQUEST'])('answers %s with no ordinary template', (category) => {
    const decision = decideReply(ctx({ status: 'WAITING', category }));
    expect(decision.templates.filter((t) => ORDINARY.has(t) || t === 'WELCOME')).toEqual([]);
    expect(decision.templates.every((t) => t === 'QUEUED')).toBe(true);
    expect(decision.escalate).toBeNull();
  });

  it('acknowledges a follow-up with QUEUED, paced like any reply', () => {
    const decision = decideReply(ctx({ status: 'WAITING', category: 'UNKNOWN', lastBotReply: { templates: ['ESCALATION'], agoMs: QUEUED_ACK_QUIET_MS } }));
    expect(decision).toMatchObject({ templates: ['QUEUED'], immediate: false, escalate: null });
  });

  it.each(['ESCALATION', 'ESCALATION_OFFLINE', 'ESCALATION_OFFLINE_NO_EMAIL'])('a message in the same burst as the hand-off (%s) shares it', (handoff) => {
    expect(decideReply(ctx({ status: 'WAITING', category: 'UNKNOWN', lastBotReply: { templates: [handoff], agoMs: 0 } })).templates).toEqual([]);
  });

  it('acknowledges once per burst: not again while the last acknowledgement is recent', () => {
    const justNow = { templates: ['QUEUED'], agoMs: QUEUED_ACK_QUIET_MS - 1 };
    expect(decideReply(ctx({ status: 'WAITING', category: 'UNKNOWN', lastBotReply: justNow })).templates).toEqual([]);
    const longAgo = { templates: ['QUEUED'], agoMs: QUEUED_ACK_QUIET_MS };
    expect(decideReply(ctx({ status: 'WAITING', category: 'UNKNOWN', lastBotReply: longAgo })).templates).toEqual(['QUEUED']);
  });

  it('confirms an email left while waiting instead of acknowledging, and that confirmation counts as one', () => {
    const justNow = { templates: ['QUEUED'], agoMs: 1000 };
    expect(decideReply(ctx({ status: 'WAITING', leftEmail: true, lastBotReply: justNow })).templates).toEqual(['CONTACT_SAVED']);
    const confirmed = { templates: ['CONTACT_SAVED'], agoMs: 1000 };
    expect(decideReply(ctx({ status: 'WAITING', lastBotReply: confirmed })).templates).toEqual([]);
  });

  it('a HIGH escalation (complaint, repeat) raises the priority without a second handoff message', () => {
    const decision = decideReply(ctx({ status: 'WAITING', category: 'COMPLAINT', escalation: { escalate: true, priority: 'HIGH', reason: 'complaint' } }));
    expect(decision.escalate).toEqual({ priority: 'HIGH', reason: 'complaint' });
    expect(decision.templates.filter((t) => t.startsWith('ESCALATION') || ORDINARY.has(t))).toEqual([]);
  });

  it('a NORMAL escalation changes nothing', () => {
    const decision = decideReply(ctx({ status: 'WAITING', category: 'HUMAN_REQUEST', escalation: { escalate: true, priority: 'NORMAL', reason: 'human_request' } }));
    expect(decision.escalate).toBeNull();
  });
});

describe('during an open mass-outage incident', () => {
  it('an outage report gets OUTAGE_KNOWN at once and is linked, instead of escalating', () => {
    expect(decideReply(ctx({ category: 'OUTAGE_REPORT', openIncident: true, escalation: { escalate: true, priority: 'HIGH', reason: 'repeat:OUTAGE_REPORT×3' } }))).toEqual({
      templates: ['OUTAGE_KNOWN'],
      knowledge: false, immediate: true,
      escalate: null,
      linkIncident: true,
    });
  });

  it('even as the first message (no WELCOME in front of bad news)', () => {
    expect(decideReply(ctx({ category: 'OUTAGE_REPORT', openIncident: true, isFirstMessage: true })).templates).toEqual(['OUTAGE_KNOWN']);
  });

  it('other questions are answered as usual and not linked', () => {
    const decision = decideReply(ctx({ category: 'BILLING', openIncident: true }));
    expect(decision).toEqual({ templates: ['BILLING'], knowledge: false, immediate: false, escalate: null, linkIncident: false });
  });

  it('without an incident an outage report gets the ordinary, paced answer', () => {
    expect(decideReply(ctx({ category: 'OUTAGE_REPORT' }))).toEqual({ templates: ['OUTAGE_REPORT'], knowledge: false, immediate: false, escalate: null, linkIncident: false });
  });
});

describe('escalation replies', () => {
  it('go out at once with ESCALATION when operators are online', () => {
    const decision = decideReply(ctx({ category: 'HUMAN_REQUEST', escalation: { escalate: true, priority: 'NORMAL', reason: 'human_request' }, operatorsOnline: 2 }));
    expect(decision).toEqual({ templates: ['ESCALATION'], knowledge: false, immediate: true, escalate: { priority: 'NORMAL', reason: 'human_request' }, linkIncident: false });
  });

  it('use ESCALATION_OFFLINE when nobody is online', () => {
    const decision = decideReply(ctx({ category: 'HUMAN_REQUEST', escalation: { escalate: true, priority: 'NORMAL', reason: 'human_request' }, operatorsOnline: 0 }));
    expect(decision.templates).toEqual(['ESCALATION_OFFLINE']);
    expect(decision.immediate).toBe(true);
  });

  it('say nobody is online without asking for an email when the site does not want emails', () => {
    const escalation: EscalationDecision = { escalate: true, priority: 'NORMAL', reason: 'human_request' };
    expect(decideReply(ctx({ category: 'HUMAN_REQUEST', escalation, operatorsOnline: 0, askEmail: false })).templates).toEqual(['ESCALATION_OFFLINE_NO_EMAIL']);
    expect(decideReply(ctx({ escalation: REPEAT, operatorsOnline: 0, askEmail: false })).templates).toEqual(['ESCALATION_REPEAT', 'ESCALATION_OFFLINE_NO_EMAIL']);
    // Someone online: the setting changes nothing.
    expect(decideReply(ctx({ category: 'HUMAN_REQUEST', escalation, operatorsOnline: 1, askEmail: false })).templates).toEqual(['ESCALATION']);
  });

  it('lead with ESCALATION_REPEAT for a repeat, HIGH', () => {
    expect(decideReply(ctx({ escalation: REPEAT }))).toEqual({
      templates: ['ESCALATION_REPEAT', 'ESCALATION'],
      knowledge: false, immediate: true,
      escalate: { priority: 'HIGH', reason: 'repeat:TECH_SUPPORT_BASIC×3' },
      linkIncident: false,
    });
    expect(decideReply(ctx({ escalation: REPEAT, operatorsOnline: 0 })).templates).toEqual(['ESCALATION_REPEAT', 'ESCALATION_OFFLINE']);
  });

  it('lead with the COMPLAINT apology for a complaint', () => {
    const decision = decideReply(ctx({ category: 'COMPLAINT', escalation: { escalate: true, priority: 'HIGH', reason: 'complaint' } }));
    expect(decision.templates).toEqual(['COMPLAINT', 'ESCALATION']);
    expect(decision.escalate).toEqual({ priority: 'HIGH', reason: 'complaint' });
  });

  it('for two not-understood messages say only that an operator joins', () => {
    const decision = decideReply(ctx({ category: 'UNKNOWN', escalation: { escalate: true, priority: 'NORMAL', reason: 'low_confidence×2' } }));
    expect(decision.templates).toEqual(['ESCALATION']);
  });

  it('never carry WELCOME, even on the first message', () => {
    const decision = decideReply(ctx({ category: 'COMPLAINT', isFirstMessage: true, escalation: { escalate: true, priority: 'HIGH', reason: 'complaint' } }));
    expect(decision.templates).not.toContain('WELCOME');
  });
});

describe('ordinary answers', () => {
  it('the first message gets the WELCOME prefix', () => {
    expect(decideReply(ctx({ isFirstMessage: true, category: 'BILLING' }))).toEqual({
      templates: ['WELCOME', 'BILLING'],
      knowledge: false, immediate: false,
      escalate: null,
      linkIncident: false,
    });
  });

  it('a first greeting is answered by the greeting alone (no double hello)', () => {
    expect(decideReply(ctx({ isFirstMessage: true, category: 'GREETING' })).templates).toEqual(['GREETING']);
  });

  it('later messages have no WELCOME and are paced', () => {
    expect(decideReply(ctx({ category: 'ACCOUNT' }))).toEqual({ templates: ['ACCOUNT'], knowledge: false, immediate: false, escalate: null, linkIncident: false });
  });

  it('every category is answered with its own template', () => {
    for (const category of CATEGORIES) expect(decideReply(ctx({ category })).templates).toEqual([category]);
  });
});

describe('an email left while waiting', () => {
  it('is confirmed with CONTACT_SAVED, paced like any reply', () => {
    expect(decideReply(ctx({ status: 'WAITING', category: 'UNKNOWN', leftEmail: true }))).toEqual({
      templates: ['CONTACT_SAVED'],
      knowledge: false, immediate: false,
      escalate: null,
      linkIncident: false,
    });
  });

  it('is not answered by the bot once an operator owns the conversation', () => {
    expect(decideReply(ctx({ status: 'OPERATOR', leftEmail: true })).templates).toEqual([]);
  });

  it('does not change what the bot answers outside the queue', () => {
    expect(decideReply(ctx({ status: 'BOT', category: 'BILLING', leftEmail: true })).templates).toEqual(['BILLING']);
  });
});

describe('a question the knowledge base answers', () => {
  it('gets the passage, paced like any answer, instead of the category template', () => {
    expect(decideReply(ctx({ category: 'BILLING', knowledgeAnswer: true }))).toEqual({ templates: [], knowledge: true, immediate: false, escalate: null, linkIncident: false });
  });

  it('as a first message, gets the welcome before the passage', () => {
    expect(decideReply(ctx({ category: 'UNKNOWN', isFirstMessage: true, knowledgeAnswer: true })).templates).toEqual(['WELCOME']);
  });

  it('still escalates when the rules say so', () => {
    const decision = decideReply(ctx({ knowledgeAnswer: true, escalation: REPEAT }));
    expect(decision.knowledge).toBe(false);
    expect(decision.escalate).toEqual({ priority: 'HIGH', reason: 'repeat:TECH_SUPPORT_BASIC×3' });
  });

  it('is not answered while the visitor waits for an operator', () => {
    expect(decideReply(ctx({ status: 'WAITING', knowledgeAnswer: true })).knowledge).toBe(false);
  });
});
