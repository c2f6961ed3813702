/**
 * What the bot does with one classified visitor message: which templates to answer with,
 * whether to escalate, whether to link the conversation to an open mass-outage incident.
 * Inputs in, a decision out — the service turns it into stored rows and socket events.
 */
import type { Classification, ConversationStatus, Priority } from '@support-chat/protocol';
import type { EscalationDecision } from './escalation/decide-escalation.ts';

export interface ReplyContext {
  status: ConversationStatus;
  /** The visitor's first message on the site: not the first after a resolved conversation. */
  isFirstMessage: boolean;
  classification: Classification;
  escalation: EscalationDecision;
  /** An open MASS_OUTAGE incident on this site (possibly opened by this very message). */
  openIncident: boolean;
  operatorsOnline: number;
  /** The message carries an email address (findEmail), e.g. after "leave your email". */
  leftEmail: boolean;
  /** The site's knowledge base answers the message confidently (see domain/knowledge). */
  knowledgeAnswer: boolean;
  /** The site asks for an email when nobody is online (its `askEmailWhenOffline` setting). */
  askEmail: boolean;
  /** The bot's last reply in the conversation (sent or planned): its templates and how long ago. */
  lastBotReply: { templates: string[]; agoMs: number } | null;
}

/**
 * While waiting, a visitor's follow-ups ("ну что там?") are acknowledged with QUEUED once per
 * burst: not while the bot's last acknowledgement — the hand-off itself included — is younger than this.
 */
export const QUEUED_ACK_QUIET_MS = 60_000;
/** Replies that tell a waiting visitor their message reached (or will reach) an operator. */
const ACKNOWLEDGEMENTS: ReadonlySet<string> = new Set(['QUEUED', 'CONTACT_SAVED', 'ESCALATION', 'ESCALATION_OFFLINE', 'ESCALATION_OFFLINE_NO_EMAIL']);

export interface ReplyDecision {
  /** Template keys whose texts are joined into one reply; empty = the bot stays silent (unless `knowledge`). */
  templates: string[];
  /** The passage quoted from the knowledge base follows the templates' text. */
  knowledge: boolean;
  /** Escalation replies go out at once; ordinary ones are paced like a human. */
  immediate: boolean;
  escalate: { priority: Priority; reason: string } | null;
  linkIncident: boolean;
}

const SILENT: ReplyDecision = { templates: [], knowledge: false, immediate: false, escalate: null, linkIncident: false };

export function decideReply(ctx: ReplyContext): ReplyDecision {
  const { category } = ctx.classification;

  // An operator owns the conversation: the bot never talks over a human.
  if (ctx.status === 'OPERATOR') return SILENT;

  if (category === 'OUTAGE_REPORT' && ctx.openIncident) {
    // Known outage: reassure at once and link, instead of escalating every reporter.
    return { templates: ['OUTAGE_KNOWN'], knowledge: false, immediate: true, escalate: null, linkIncident: true };
  }

  if (ctx.status === 'WAITING') {
    // Already in the queue: ordinary answers stop; a complaint may still raise the priority.
    // An email left for the operator is confirmed, so the visitor knows it was not lost; anything
    // else is acknowledged (paced like any reply), unless it was just now.
    const raise = ctx.escalation.escalate && ctx.escalation.priority === 'HIGH' ? ctx.escalation : null;
    const last = ctx.lastBotReply;
    const acknowledgedJustNow = last !== null && last.templates.some((t) => ACKNOWLEDGEMENTS.has(t)) && last.agoMs < QUEUED_ACK_QUIET_MS;
    return {
      ...SILENT,
      templates: ctx.leftEmail ? ['CONTACT_SAVED'] : acknowledgedJustNow ? [] : ['QUEUED'],
      escalate: raise ? { priority: raise.priority, reason: raise.reason } : null,
    };
  }

  if (ctx.escalation.escalate) {
    const { priority, reason } = ctx.escalation;
    const lead = reason.startsWith('repeat:') ? ['ESCALATION_REPEAT'] : category === 'COMPLAINT' ? ['COMPLAINT'] : [];
    // Nobody online: the site chooses whether the hand-off asks for an email or only says so.
    const handoff = ctx.operatorsOnline > 0 ? 'ESCALATION' : ctx.askEmail ? 'ESCALATION_OFFLINE' : 'ESCALATION_OFFLINE_NO_EMAIL';
    return { templates: [...lead, handoff], knowledge: false, immediate: true, escalate: { priority, reason }, linkIncident: false };
  }

  if (ctx.knowledgeAnswer) {
    // The site's own words answer the question; a first message still gets the welcome before it.
    return { templates: ctx.isFirstMessage ? ['WELCOME'] : [], knowledge: true, immediate: false, escalate: null, linkIncident: false };
  }

  const templates = ctx.isFirstMessage && category !== 'GREETING' ? ['WELCOME', category] : [category];
  return { templates, knowledge: false, immediate: false, escalate: null, linkIncident: false };
}
