/**
 * Where a waiting visitor stands, and how long a site's visitors usually wait for an operator.
 * Both are told to the visitor, so both come from stored facts only: the queue as operators see it
 * (HIGH first, then oldest escalation first), and the site's real recent first responses — with
 * too few of those, no number at all rather than a made-up one.
 */
import type { Priority } from '@support-chat/protocol';

export interface WaitingConversation {
  conversationId: string;
  priority: Priority;
  escalatedAt: Date;
}

export interface WaitEstimateOptions {
  /** Fewer recent first responses than this: no estimate. */
  minSamples: number;
}

export const WAIT_ESTIMATE_DEFAULTS: WaitEstimateOptions = { minSamples: 3 };

/** 1-based places in the queue by conversation id, in the order operators see the queue. */
export function queuePlaces(waiting: readonly WaitingConversation[]): Map<string, number> {
  const ordered = [...waiting].sort(
    (a, b) => rank(b.priority) - rank(a.priority) || a.escalatedAt.getTime() - b.escalatedAt.getTime() || a.conversationId.localeCompare(b.conversationId),
  );
  return new Map(ordered.map((c, i) => [c.conversationId, i + 1]));
}

const rank = (p: Priority) => (p === 'HIGH' ? 1 : 0);

/**
 * "Usually answered in ~M min": the median of the recent first-response times (ms from the
 * escalation to the first operator message), rounded up to whole minutes, at least 1; null when
 * there are fewer samples than `minSamples`.
 */
export function estimateWaitMinutes(firstResponsesMs: readonly number[], options: WaitEstimateOptions = WAIT_ESTIMATE_DEFAULTS): number | null {
  const samples = firstResponsesMs.filter((ms) => Number.isFinite(ms) && ms >= 0).sort((a, b) => a - b);
  if (samples.length === 0 || samples.length < options.minSamples) return null;
  const mid = samples.length >> 1;
  const median = samples.length % 2 ? samples[mid]! : (samples[mid - 1]! + samples[mid]!) / 2;
  return Math.max(1, Math.ceil(median / 60_000));
}
