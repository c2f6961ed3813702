import type { Category } from '@support-chat/protocol';

/**
 * The one rule that turns a calibrated best guess into an answer: a guess below the threshold is
 * more likely wrong than useful, so the visitor gets UNKNOWN (a clarifying question) instead.
 * The confidence of such an UNKNOWN is the probability that the guess was wrong.
 */
export function applyUnknownThreshold(
  best: Category,
  probability: number,
  threshold: number,
): { category: Category; confidence: number } {
  if (best !== 'UNKNOWN' && probability < threshold) return { category: 'UNKNOWN', confidence: 1 - probability };
  return { category: best, confidence: probability };
}
