import { describe, expect, it } from 'vitest';
import { shouldAlert } from './alerts.ts';
import { queueItem } from './test-fixtures.ts';

describe('new waiting conversation alerts', () => {
  it('ring once when a conversation starts waiting, not when it changes while waiting or is taken', () => {
    const waiting = queueItem({ conversationId: 'c1' });
    expect(shouldAlert('online', [], waiting)).toBe(true);
    expect(shouldAlert('online', [waiting], { ...waiting, priority: 'HIGH' })).toBe(false);
    expect(shouldAlert('online', [], { ...waiting, status: 'OPERATOR', ownerId: 'op' })).toBe(false);
    // Handed back to the bot and escalated again: a new wait.
    expect(shouldAlert('online', [{ ...waiting, status: 'OPERATOR', ownerId: 'op' }], waiting)).toBe(true);
  });

  it('stay quiet while the operator is away', () => {
    expect(shouldAlert('away', [], queueItem({ conversationId: 'c2' }))).toBe(false);
  });
});
