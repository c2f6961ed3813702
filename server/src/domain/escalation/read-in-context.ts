/**
 * What each visitor message is taken to be once the conversation around it is known: a pure
 * function of the recent messages and their classifications (oldest first). The escalation rules
 * act on this reading, never on a bare guess:
 *
 * 1. COMPLAINT / HUMAN_REQUEST count only with confidence at or above their own calibrated
 *    threshold (escalation-thresholds.ts), or when the visitor says it outright
 *    (explicit-signals.ts). Below it, without such words, the guess is "not understood".
 * 2. Small talk (thanks, bye, hello, "ок, понятно") is small talk whatever the classifier thought.
 * 3. Another category with confidence at or above `confidenceThreshold` is understood as it is.
 * 4. Otherwise context decides: a message of the category the visitor was just talking about is
 *    understood as that, and a short follow-up ("а скорость какая?", "and the installation fee?",
 *    "роутер tp-link") is understood within the topic of the last understood request — unless the
 *    classifier is sure it is nothing we handle (an injection, gibberish, off-topic).
 * 5. A question the site's knowledge base answered was understood: the visitor got an answer.
 * 6. Anything else is not understood: only these count toward the low-confidence streak.
 */
import type { Category } from '@support-chat/protocol';
import { asksForHuman, complainsOutright } from './explicit-signals.ts';
import { ESCALATION_THRESHOLDS, type EscalatingCategory } from './escalation-thresholds.ts';
import { looksLikeFollowUp } from './follow-up.ts';
import { Memo } from '../memo.ts';
import { messageWords } from './message-words.ts';
import { requestContent } from './same-request.ts';
import { smallTalk, type SmallTalk } from './small-talk.ts';

export interface ClassifiedMessage {
  text: string;
  category: Category;
  confidence: number;
  /** The bot answered it with a passage from the site's knowledge base. */
  answeredFromKnowledge?: boolean;
}

export interface ReadingOptions {
  /** Below this, an ordinary category counts as "the bot did not understand" unless context explains it. */
  confidenceThreshold: number;
  /** The confidence COMPLAINT and HUMAN_REQUEST need before a rule hands over on them. */
  escalationThresholds?: Readonly<Record<EscalatingCategory, number>>;
}

export type Understood = 'classifier' | 'signal' | 'small-talk' | 'knowledge' | 'context' | 'not-understood';

export interface MessageReading {
  text: string;
  /** The category the rules act on (for a message not understood: its classification, never an escalating one). */
  category: Category;
  understood: Understood;
  /** Asks or tells something; small talk does not. */
  request: boolean;
}

/** Topics a follow-up can continue: what the visitor asks about, not how they feel. */
const TOPICS: ReadonlySet<Category> = new Set(['BILLING', 'ACCOUNT', 'TECH_SUPPORT_BASIC', 'OUTAGE_REPORT']);
const SOCIAL: ReadonlySet<Category> = new Set(['GREETING', 'THANKS', 'FAREWELL']);
const SMALL_TALK_CATEGORY: Record<SmallTalk, Category> = {
  GREETING: 'GREETING',
  THANKS: 'THANKS',
  FAREWELL: 'FAREWELL',
  ACKNOWLEDGEMENT: 'THANKS',
};

/** How far back (in messages) a follow-up looks for the topic it continues. */
export const CONTEXT_WINDOW = 4;

/**
 * An UNKNOWN this sure is a message we do not handle (gibberish, an injection, off-topic), even
 * in a follow-up's shape. Below it, an UNKNOWN is the model lacking words, which context supplies.
 */
export const SURE_UNKNOWN = 0.75;

export function readConversation(messages: readonly ClassifiedMessage[], options: ReadingOptions): MessageReading[] {
  const thresholds = options.escalationThresholds ?? ESCALATION_THRESHOLDS;
  const readings: MessageReading[] = [];
  for (const message of messages) readings.push(readMessage(message, readings, options.confidenceThreshold, thresholds));
  return readings;
}

function readMessage(
  { text, category, confidence, answeredFromKnowledge }: ClassifiedMessage,
  before: readonly MessageReading[],
  confidenceThreshold: number,
  thresholds: Readonly<Record<EscalatingCategory, number>>,
): MessageReading {
  const reading = (category: Category, understood: Understood, request = true): MessageReading => ({ text, category, understood, request });
  const escalating = category === 'COMPLAINT' || category === 'HUMAN_REQUEST';
  if (escalating && confidence >= thresholds[category]) return reading(category, 'classifier');

  const facts = factsOf(text);
  if (facts.asksForHuman) return reading('HUMAN_REQUEST', 'signal');
  if (facts.complains) return reading('COMPLAINT', 'signal');

  const talk = facts.smallTalk;
  if (talk) return reading(SOCIAL.has(category) ? category : SMALL_TALK_CATEGORY[talk], 'small-talk', false);
  // "hello?? no internet!!" is not a greeting, whatever the classifier says: it names what is wrong.
  const social = SOCIAL.has(category) && !facts.namesTheProblem;
  if (social && confidence >= confidenceThreshold) return reading(category, 'classifier', false);
  if (!escalating && category !== 'UNKNOWN' && confidence >= confidenceThreshold) return reading(category, 'classifier');
  if (answeredFromKnowledge && !escalating) return reading(category, 'knowledge');

  const recent = before.slice(-CONTEXT_WINDOW).reverse().filter((r) => r.request);
  // The visitor is still on the subject of a recent request, understood or not: two messages agree.
  if (TOPICS.has(category) && recent.some((r) => r.category === category)) return reading(category, 'context');
  const topic = recent.find((r) => r.understood !== 'not-understood' && TOPICS.has(r.category));
  const sureUnknown = category === 'UNKNOWN' && confidence >= SURE_UNKNOWN;
  if (topic && !sureUnknown && facts.followUp) return reading(TOPICS.has(category) ? category : topic.category, 'context');

  return reading(escalating || SOCIAL.has(category) ? 'UNKNOWN' : category, 'not-understood');
}

interface MessageFacts {
  asksForHuman: boolean;
  complains: boolean;
  smallTalk: SmallTalk | null;
  followUp: boolean;
  /** Names something of the support domain ("интернет", "пароль", "refund"): a request, not small talk. */
  namesTheProblem: boolean;
}

// What the text alone says, found once per text (the rules re-read recent messages each time).
const facts = new Memo<MessageFacts>();

function factsOf(text: string): MessageFacts {
  return facts.remember(text, () => {
    const words = messageWords(text);
    return {
      asksForHuman: asksForHuman(words),
      complains: complainsOutright(words),
      smallTalk: smallTalk(words),
      followUp: looksLikeFollowUp(words),
      namesTheProblem: requestContent(text).words.some((word) => word.concept !== undefined),
    };
  });
}
