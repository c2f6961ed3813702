import { describe, expect, it } from 'vitest';
import { message } from './fakes.ts';
import { advanceCursor, buildItems, hasGap, mergeMessages, settleCursor } from './messages.ts';

describe('mergeMessages', () => {
  it('dedupes by id and orders by seq', () => {
    const merged = mergeMessages([message(3), message(1)], [message(2), message(3), message(1)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('orders two conversations by time, each by seq', () => {
    const older = [message(1), message(2)];
    const newer = [message(1, { id: 'n1', conversationId: 'c2', createdAt: '2025-02-01T00:00:00Z' })];
    expect(mergeMessages(newer, older).map((m) => m.id)).toEqual(['m1', 'm2', 'n1']);
  });
});

describe('buildItems', () => {
  const entry = { clientMessageId: 'local-1', text: 'hi', createdAt: '2025-01-01T12:00:05Z' };

  it('shows outbox entries after stored messages with their delivery state', () => {
    const items = buildItems([message(1)], [entry], () => 'failed');
    expect(items.map((i) => [i.text, i.state])).toEqual([
      ['text 1', undefined],
      ['hi', 'failed'],
    ]);
  });

  it('replaces a pending message by the stored one with the same clientMessageId', () => {
    const stored = message(2, { author: 'visitor', text: 'hi', clientMessageId: 'local-1' });
    const items = buildItems([message(1), stored], [entry], () => 'sending');
    expect(items.map((i) => [i.id, i.state])).toEqual([
      ['m1', undefined],
      ['m2', 'sent'],
    ]);
  });
});

describe('cursor', () => {
  it('advances over consecutive seqs only, so a missed message is fetched again', () => {
    const cursor = advanceCursor({ conversationId: 'c1', lastSeq: 1 }, [message(1), message(2), message(4)]);
    expect(cursor).toEqual({ conversationId: 'c1', lastSeq: 2 });
    expect(hasGap(cursor, [message(4)])).toBe(true);
  });

  it('starts a new conversation from zero', () => {
    const next = message(1, { id: 'n1', conversationId: 'c2' });
    expect(advanceCursor({ conversationId: 'c1', lastSeq: 9 }, [next], next)).toEqual({ conversationId: 'c2', lastSeq: 1 });
  });

  it('settles at the highest seq after a full answer from the server', () => {
    expect(settleCursor({ conversationId: 'c1', lastSeq: 1 }, [message(1), message(5)])).toEqual({ conversationId: 'c1', lastSeq: 5 });
  });
});
