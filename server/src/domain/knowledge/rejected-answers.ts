/**
 * How many knowledge-base answers in a row the visitor has turned down, counted at the message
 * that turns down the latest one. An answer is turned down when the visitor's next message says
 * so ("не то", "this didn't help") or asks the same question again. Two in a row escalate: the
 * articles do not have what this visitor needs, and a third quote will not help either.
 */
import type { EscalationDecision } from '../escalation/decide-escalation.ts';
import { isSimilarWording } from '../escalation/repetition.ts';
import { looksLikeRejection } from './rejection.ts';

export interface AnsweredMessage {
  text: string;
  /** The bot answered this visitor message with a passage from the knowledge base. */
  answeredFromKnowledge: boolean;
}

/** The stretch of talk looked at, as for repeats. */
const WINDOW = 8;
/** Turned-down answers in a row that hand the conversation to a person. */
export const REJECTED_ANSWERS_TO_ESCALATE = 2;

/** The rules' decision unless it already escalates: then two turned-down answers do (NORMAL priority). */
export function escalateOnRejectedAnswers(decision: EscalationDecision, history: readonly AnsweredMessage[]): EscalationDecision {
  if (decision.escalate) return decision;
  const rejected = rejectedAnswers(history);
  return rejected >= REJECTED_ANSWERS_TO_ESCALATE ? { escalate: true, priority: 'NORMAL', reason: `knowledge_rejected×${rejected}` } : decision;
}

export function rejectedAnswers(history: readonly AnsweredMessage[]): number {
  const recent = history.slice(-WINDOW);
  let rejected = 0;
  for (let i = recent.length - 1; i >= 1; i--) {
    const asked = recent[i - 1]!;
    const next = recent[i]!;
    if (!asked.answeredFromKnowledge) {
      // Only the current message may be a lone reply to something else: then nothing is counted.
      if (i === recent.length - 1) return 0;
      continue;
    }
    if (!turnsDown(next, asked)) break; // an answer taken, or the talk moved on, ends the streak
    rejected++;
  }
  return rejected;
}

function turnsDown(next: AnsweredMessage, asked: AnsweredMessage): boolean {
  return looksLikeRejection(next.text) || isSimilarWording(next.text, asked.text);
}
