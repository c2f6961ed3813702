/**
 * When the console should ring: a conversation that just started waiting for a person, while the
 * operator is available. Pure, so the rule is tested without a browser.
 */
import type { Availability, QueueItem } from '@support-chat/protocol';

/** The item is waiting, unowned, and was not already waiting in the queue the console shows. */
export function isNewlyWaiting(known: readonly QueueItem[], item: QueueItem): boolean {
  if (item.status !== 'WAITING' || item.ownerId !== null) return false;
  return !known.some((k) => k.conversationId === item.conversationId && k.status === 'WAITING');
}

/** Away operators hear nothing. */
export function shouldAlert(availability: Availability, known: readonly QueueItem[], item: QueueItem): boolean {
  return availability === 'online' && isNewlyWaiting(known, item);
}
