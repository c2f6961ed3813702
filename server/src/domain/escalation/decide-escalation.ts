/**
 * When the bot hands a conversation to people. Pure rules over the conversation's recent
 * visitor messages (oldest first, the current one last), thresholds from config. They act on
 * what each message is taken to be in context (read-in-context.ts), never on a bare guess:
 *
 *  - a complaint → HIGH, `complaint`
 *  - a request for a human → NORMAL (`human_request`), HIGH when asked before (`human_request×n`)
 *    (both: the classifier at or above the category's calibrated threshold, or said outright)
 *  - the same request asked `repeatThreshold`+ times, in whatever words → HIGH, `repeat:<CATEGORY>×n`
 *  - `lowConfidenceStreak` messages in a row not understood, even in context → NORMAL
 */
import type { Category, Priority } from '@support-chat/protocol';
import type { EscalatingCategory } from './escalation-thresholds.ts';
import { readConversation, type ClassifiedMessage, type MessageReading } from './read-in-context.ts';
import { reportsWhatWasTried, showsFrustration } from './repetition.ts';
import { isSameRequest, requestContent, type RequestContent } from './same-request.ts';

export type { ClassifiedMessage } from './read-in-context.ts';

export interface EscalationOptions {
  repeatThreshold: number;
  lowConfidenceStreak: number;
  /** Below this a classification counts as "the bot did not understand" (unless context explains it). */
  confidenceThreshold: number;
  /** Per-category bars for the rules that escalate on a category; the calibrated ones by default. */
  escalationThresholds?: Readonly<Record<EscalatingCategory, number>>;
}

export type EscalationDecision = { escalate: false } | { escalate: true; priority: Priority; reason: string };

/** How many recent requests are looked at: repetition is about the current stretch of talk. */
const WINDOW = 8;

export function decideEscalation(messages: readonly ClassifiedMessage[], options: EscalationOptions): EscalationDecision {
  return escalationOf(readConversation(messages, options), options);
}

/**
 * decideEscalation and categoryInContext from one reading of the conversation: the service needs
 * both for every message, and reading the dozen recent messages is most of either's cost.
 */
export function judgeInContext(messages: readonly ClassifiedMessage[], options: EscalationOptions): { escalation: EscalationDecision; category: Category } {
  const readings = readConversation(messages, options);
  return { escalation: escalationOf(readings, options), category: categoryOf(readings.at(-1)) };
}

function escalationOf(readings: readonly MessageReading[], options: EscalationOptions): EscalationDecision {
  const current = readings.at(-1);
  if (!current) return { escalate: false };

  if (current.category === 'COMPLAINT') return { escalate: true, priority: 'HIGH', reason: 'complaint' };

  if (current.category === 'HUMAN_REQUEST') {
    const asks = readings.filter((m) => m.category === 'HUMAN_REQUEST').length;
    return asks > 1
      ? { escalate: true, priority: 'HIGH', reason: `human_request×${asks}` }
      : { escalate: true, priority: 'NORMAL', reason: 'human_request' };
  }

  // A message not understood is the low-confidence streak's business, however often it comes.
  if (current.request && current.category !== 'UNKNOWN') {
    const chain = repeatChain(readings);
    if (chain.length >= options.repeatThreshold) {
      return { escalate: true, priority: 'HIGH', reason: `repeat:${chainCategory(chain)}×${chain.length}` };
    }
  }

  const streak = notUnderstoodStreak(readings);
  if (streak >= options.lowConfidenceStreak) {
    return { escalate: true, priority: 'NORMAL', reason: `low_confidence×${streak}` };
  }
  return { escalate: false };
}

/**
 * What the current message is taken to be in context, for choosing the reply: the category it
 * continues or was classified as, UNKNOWN when it is not understood (a COMPLAINT guess below its
 * threshold gets the clarifying question, not an apology; "а через сбп можно?" the billing answer).
 */
export function categoryInContext(messages: readonly ClassifiedMessage[], options: EscalationOptions): Category {
  return categoryOf(readConversation(messages, options).at(-1));
}

function categoryOf(current: MessageReading | undefined): Category {
  if (!current || current.understood === 'not-understood') return 'UNKNOWN';
  return current.category;
}

/**
 * How many times the current request has been asked: the current message plus the earlier ones
 * it restates (see same-request.ts), given plain confidences (the default bar of server.ts).
 */
export function countRepeats(messages: readonly ClassifiedMessage[], options: Pick<EscalationOptions, 'confidenceThreshold' | 'escalationThresholds'> = { confidenceThreshold: 0.5 }): number {
  const readings = readConversation(messages, options);
  return readings.at(-1)?.request ? repeatChain(readings).length : 0;
}

/**
 * The current request and the earlier requests of the current stretch of talk that ask the same:
 * those restating it in other words, directly or through another restatement ("refund please" is
 * the first message said shorter, "how do I get my money back for last month??" the first said
 * again). Frustration ("still", "я же говорю", "???", shouting) links a message only to the request
 * of its category right before it — skipping reports of what was tried ("роутер перезагрузил"),
 * which are details, not requests: it says *that* answer did not help, not that every earlier
 * question was the same one. A stretch ends at two requests in a row about something else; one
 * detail in between ("мой адрес Ленина 5") does not break it.
 */
function repeatChain(readings: readonly MessageReading[]): MessageReading[] {
  const requests = readings.filter((m) => m.request).slice(-WINDOW);
  const current = requests.at(-1);
  if (!current) return [];
  const contents = new Map<MessageReading, RequestContent>();
  const contentOf = (m: MessageReading) => contents.get(m) ?? contents.set(m, requestContent(m.text)).get(m)!;
  const same = (a: MessageReading, b: MessageReading) => {
    const [earlier, later] = requests.indexOf(a) < requests.indexOf(b) ? [a, b] : [b, a];
    return isSameRequest(contentOf(later), contentOf(earlier));
  };

  let start = requests.length - 1;
  for (let i = requests.length - 2, unrelated = 0; i >= 0; i -= 1) {
    const earlier = requests[i]!;
    if (earlier.category === current.category || same(current, earlier)) unrelated = 0;
    else if (++unrelated > 1) break;
    start = i;
  }
  const stretch = requests.slice(start);

  const chain = new Set<MessageReading>([current]);
  for (let grown = true; grown; ) {
    grown = false;
    for (let i = stretch.length - 2; i >= 0; i -= 1) {
      const earlier = stretch[i]!;
      if (chain.has(earlier) || ![...chain].some((m) => same(m, earlier))) continue;
      chain.add(earlier);
      grown = true;
    }
    // "всё ещё не работает", "???": the answer to the request before did not help. That request is
    // the last one of the category that asked something, not a detail: a report of what was tried
    // ("приставку перезагружала") or a short addition only the context made sense of ("модем Huawei").
    for (const frustrated of [...chain].filter((m) => showsFrustration(m.text))) {
      const before = stretch
        .slice(0, stretch.indexOf(frustrated))
        .filter((m) => m.category === current.category && m.understood !== 'context' && !reportsWhatWasTried(m.text));
      const asked = before.at(-1);
      if (asked && !chain.has(asked)) {
        chain.add(asked);
        grown = true;
      }
    }
  }
  return [...chain];
}

/** The category a repetition is about: the current message's (never UNKNOWN, see above). */
function chainCategory(chain: readonly MessageReading[]): Category {
  return chain[0]!.category;
}

function notUnderstoodStreak(readings: readonly MessageReading[]): number {
  let streak = 0;
  for (let i = readings.length - 1; i >= 0 && readings[i]!.understood === 'not-understood'; i -= 1) streak += 1;
  return streak;
}
