import type { Category } from '@support-chat/protocol';

/**
 * Which messages the knowledge base is asked about, by the classifier's category:
 * - `always`: questions about billing, the account, technical matters, or not understood;
 * - `asking`: categories with a path of their own (greetings, thanks, farewells, complaints,
 *   outage reports) only when the message asks something — the classifier files questions there
 *   too ("Когда приедет монтажник?" as a complaint, "Какие у вас цены на интернет?" as an outage
 *   report, "Сколько ждать, пока подключите?" as a farewell): 42 of the 411 answerable questions
 *   of the knowledge dev set, 10% of its right answers, never reached the articles. A message
 *   that asks nothing keeps its path, and decideReply still puts a known outage and an
 *   escalation before any article;
 * - `never`: a visitor asking for a person gets one, not an article.
 */
export type KnowledgeLookup = 'always' | 'asking' | 'never';

const ALWAYS: ReadonlySet<Category> = new Set(['BILLING', 'ACCOUNT', 'TECH_SUPPORT_BASIC', 'UNKNOWN']);

export function knowledgeLookup(category: Category): KnowledgeLookup {
  if (category === 'HUMAN_REQUEST') return 'never';
  return ALWAYS.has(category) ? 'always' : 'asking';
}
