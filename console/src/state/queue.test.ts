import type { QueueItem } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { queueItem } from './test-fixtures.ts';
import { removeQueueItem, sortQueue, upsertQueueItem } from './queue.ts';

const ids = (items: QueueItem[]) => items.map((i) => i.conversationId);

describe('queue order', () => {
  it('puts HIGH priority first, then the longest waiting', () => {
    const items = [
      queueItem({ conversationId: 'normal-old', escalatedAt: '2026-01-01T09:00:00.000Z' }),
      queueItem({ conversationId: 'high-new', priority: 'HIGH', escalatedAt: '2026-01-01T11:00:00.000Z' }),
      queueItem({ conversationId: 'normal-new', escalatedAt: '2026-01-01T10:30:00.000Z' }),
      queueItem({ conversationId: 'high-old', priority: 'HIGH', escalatedAt: '2026-01-01T08:00:00.000Z' }),
    ];
    expect(ids(sortQueue(items))).toEqual(['high-old', 'high-new', 'normal-old', 'normal-new']);
  });

  it('sorts items without an escalation time after the others of their priority', () => {
    const items = [queueItem({ conversationId: 'b', escalatedAt: null }), queueItem({ conversationId: 'a' })];
    expect(ids(sortQueue(items))).toEqual(['a', 'b']);
  });

  it('an upsert replaces the item and re-sorts when its priority rises', () => {
    const queue = sortQueue([queueItem({ conversationId: 'a', escalatedAt: '2026-01-01T09:00:00.000Z' }), queueItem({ conversationId: 'b' })]);
    const next = upsertQueueItem(queue, queueItem({ conversationId: 'b', priority: 'HIGH' }));
    expect(ids(next)).toEqual(['b', 'a']);
    expect(next).toHaveLength(2);
  });

  it('an upsert of a resolved or handed-back conversation drops it', () => {
    const queue = [queueItem({ conversationId: 'a' }), queueItem({ conversationId: 'b' })];
    expect(ids(upsertQueueItem(queue, queueItem({ conversationId: 'a', status: 'RESOLVED' })))).toEqual(['b']);
    expect(ids(upsertQueueItem(queue, queueItem({ conversationId: 'b', status: 'BOT' })))).toEqual(['a']);
  });

  it('remove drops only that conversation', () => {
    expect(ids(removeQueueItem([queueItem({ conversationId: 'a' }), queueItem({ conversationId: 'b' })], 'a'))).toEqual(['b']);
  });
});
