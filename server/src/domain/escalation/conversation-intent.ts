/**
 * What a conversation is about, as operators see it in the queue row and in the detail view (one
 * value, stored on the conversation, so the two never disagree). A visitor's latest message is a
 * poor answer: after "позовите человека" comes "ну что там?", and a repeated tech question is often
 * worded so the classifier alone says UNKNOWN. So:
 *  - an escalation names the intent it escalated on: `complaint` → COMPLAINT, `human_request` →
 *    HUMAN_REQUEST, `repeat:<CATEGORY>` → that category; other reasons (low confidence, rejected
 *    knowledge answers) → the message as read in context;
 *  - otherwise the message as read in context, except small talk ("спасибо"), which changes nothing.
 * The confidence is the classifier's, and only when the classifier itself said this category.
 */
import { isCategory, type Category, type Classification } from '@support-chat/protocol';

export interface ConversationIntent {
  category: Category;
  confidence: number | null;
}

const SMALL_TALK: ReadonlySet<Category> = new Set(['GREETING', 'THANKS', 'FAREWELL']);

/** The category an escalation reason names (`repeat:BILLING×3` → BILLING), or null when it names none. */
export function escalationCategory(reason: string): Category | null {
  if (reason.startsWith('complaint')) return 'COMPLAINT';
  if (reason.startsWith('human_request')) return 'HUMAN_REQUEST';
  const repeated = /^repeat:([A-Z_]+)/.exec(reason)?.[1];
  return isCategory(repeated) ? repeated : null;
}

/** The intent a decided message gives its conversation; null leaves the stored one as it is. */
export function conversationIntent(
  classification: Pick<Classification, 'category' | 'confidence'>,
  inContext: Category,
  escalation: { reason: string } | null,
): ConversationIntent | null {
  const category = (escalation && escalationCategory(escalation.reason)) ?? inContext;
  if (!escalation && SMALL_TALK.has(category)) return null;
  return { category, confidence: classification.category === category ? classification.confidence : null };
}
