/**
 * When the bot hands a conversation to people. Pure rules over the conversation's recent
 * visitor messages (oldest first, the current one last), thresholds from config.
 *
 *  - the same request asked `repeatThreshold`+ times → HIGH, `repeat:<CATEGORY>×n`
 *  - COMPLAINT → HIGH, `complaint`
 *  - HUMAN_REQUEST → NORMAL (`human_request`), HIGH when asked before (`human_request×n`)
 *  - `lowConfidenceStreak` low-confidence / UNKNOWN messages in a row → NORMAL
 */
import type { Category, Priority } from '@support-chat/protocol';
import { isSimilarWording, showsFrustration, trigrams } from './repetition.ts';

export interface ClassifiedMessage {
  text: string;
  category: Category;
  confidence: number;
}

export interface EscalationOptions {
  repeatThreshold: number;
  lowConfidenceStreak: number;
  /** Below this a classification counts as "the bot did not understand". */
  confidenceThreshold: number;
}

export type EscalationDecision = { escalate: false } | { escalate: true; priority: Priority; reason: string };

/** Small talk never counts as a request and never breaks a repetition. */
const SOCIAL: ReadonlySet<Category> = new Set(['GREETING', 'THANKS', 'FAREWELL']);

/** How many recent requests are looked at: repetition is about the current stretch of talk. */
const WINDOW = 8;

export function decideEscalation(messages: readonly ClassifiedMessage[], options: EscalationOptions): EscalationDecision {
  const current = messages.at(-1);
  if (!current) return { escalate: false };

  if (current.category === 'COMPLAINT') return { escalate: true, priority: 'HIGH', reason: 'complaint' };

  if (current.category === 'HUMAN_REQUEST') {
    const asks = messages.filter((m) => m.category === 'HUMAN_REQUEST').length;
    return asks > 1
      ? { escalate: true, priority: 'HIGH', reason: `human_request×${asks}` }
      : { escalate: true, priority: 'NORMAL', reason: 'human_request' };
  }

  const repeats = countRepeats(messages);
  if (!SOCIAL.has(current.category) && current.category !== 'UNKNOWN' && repeats >= options.repeatThreshold) {
    return { escalate: true, priority: 'HIGH', reason: `repeat:${current.category}×${repeats}` };
  }

  const streak = lowConfidenceStreak(messages, options.confidenceThreshold);
  if (streak >= options.lowConfidenceStreak) {
    return { escalate: true, priority: 'NORMAL', reason: `low_confidence×${streak}` };
  }
  return { escalate: false };
}

/**
 * How many times the current request has been asked: the current message plus earlier
 * messages of the same category that it (or a later one) repeats. A chain of different
 * questions in one category, each adding information, does not count up.
 *
 * Similar wording links a message to any earlier one of the chain. Frustration ("still",
 * "???", shouting) links it only to the request right before it in the same category: it
 * says *that* answer did not help, not that every earlier question was the same one.
 */
export function countRepeats(messages: readonly ClassifiedMessage[]): number {
  const requests = messages.filter((m) => !SOCIAL.has(m.category)).slice(-WINDOW);
  const current = requests.at(-1);
  if (!current) return 0;

  const chain: ClassifiedMessage[] = [current];
  const grams = new Map<ClassifiedMessage, Set<string>>(); // each message's trigrams, computed once
  const gramsOf = (m: ClassifiedMessage) => grams.get(m) ?? grams.set(m, trigrams(m.text)).get(m)!;
  let following = current; // the same-category request right after `earlier`
  let unrelated = 0;
  for (let i = requests.length - 2; i >= 0; i--) {
    const earlier = requests[i]!;
    if (earlier.category !== current.category) {
      // One new detail in between ("my address is …") does not break a repetition; two do.
      if (++unrelated > 1) break;
      continue;
    }
    unrelated = 0;
    const repeated =
      chain.some((later) => isSimilarWording(gramsOf(later), gramsOf(earlier))) ||
      (chain.includes(following) && showsFrustration(following.text));
    if (repeated) chain.push(earlier);
    following = earlier;
  }
  return chain.length;
}

function lowConfidenceStreak(messages: readonly ClassifiedMessage[], threshold: number): number {
  let streak = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.category === 'UNKNOWN' || m.confidence < threshold) streak++;
    else break;
  }
  return streak;
}
