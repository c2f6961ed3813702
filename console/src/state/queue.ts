import type { QueueItem } from '@support-chat/protocol';

/** Statuses that keep a conversation in the operators' queue (the server's queue() uses the same). */
export function isQueued(item: Pick<QueueItem, 'status'>): boolean {
  return item.status === 'WAITING' || item.status === 'OPERATOR';
}

/** HIGH before NORMAL, then whoever has waited longest; a missing escalatedAt sorts last. */
export function compareQueueItems(a: QueueItem, b: QueueItem): number {
  if (a.priority !== b.priority) return a.priority === 'HIGH' ? -1 : 1;
  const at = a.escalatedAt ? Date.parse(a.escalatedAt) : Number.POSITIVE_INFINITY;
  const bt = b.escalatedAt ? Date.parse(b.escalatedAt) : Number.POSITIVE_INFINITY;
  if (at !== bt) return at < bt ? -1 : 1;
  return a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0;
}

export function sortQueue(items: readonly QueueItem[]): QueueItem[] {
  return [...items].sort(compareQueueItems);
}

/** The queue after the server said an item changed: replaced in place, or dropped when it left the queue. */
export function upsertQueueItem(queue: readonly QueueItem[], item: QueueItem): QueueItem[] {
  const rest = queue.filter((q) => q.conversationId !== item.conversationId);
  return isQueued(item) ? sortQueue([...rest, item]) : rest;
}

export function removeQueueItem(queue: readonly QueueItem[], conversationId: string): QueueItem[] {
  return queue.filter((q) => q.conversationId !== conversationId);
}
