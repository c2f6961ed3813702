/**
 * A conversation replayed through the rules as the service runs them: each visitor message is
 * classified, then decideEscalation sees the history up to and including it. Used by the
 * judgement bench and the behaviour tests, so both measure exactly the production rules.
 */
import type { Category } from '@support-chat/protocol';
import { decideEscalation, type EscalationDecision, type EscalationOptions } from './decide-escalation.ts';

export interface ReplayedMessage {
  text: string;
  category: Category;
  confidence: number;
  decision: EscalationDecision;
}

export interface Replay {
  messages: ReplayedMessage[];
  /** The first message that escalated (the service hands over there and the bot stops), or null. */
  escalatedAt: { index: number; reason: string } | null;
}

/** How many recent visitor messages the service hands the rules (chat-service HISTORY_FOR_RULES). */
export const RULES_HISTORY = 12;

export function replayConversation(
  texts: readonly string[],
  classify: (text: string) => { category: Category; confidence: number },
  options: EscalationOptions,
): Replay {
  const messages: ReplayedMessage[] = [];
  let escalatedAt: Replay['escalatedAt'] = null;
  for (const text of texts) {
    const { category, confidence } = classify(text);
    const history = [...messages, { text, category, confidence }].slice(-RULES_HISTORY);
    const decision = decideEscalation(history, options);
    messages.push({ text, category, confidence, decision });
    if (decision.escalate && !escalatedAt) escalatedAt = { index: messages.length - 1, reason: decision.reason };
  }
  return { messages, escalatedAt };
}
