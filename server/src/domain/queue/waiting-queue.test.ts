import { describe, expect, it } from 'vitest';
import { estimateWaitMinutes, queuePlaces } from './waiting-queue.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));
const MIN = 60_000;

describe('a visitor\u2019s place in the queue', () => {
  it('follows the order operators see: HIGH first, then the oldest escalation', () => {
    const places = queuePlaces([
      { conversationId: 'late', priority: 'NORMAL', escalatedAt: at(30) },
      { conversationId: 'early', priority: 'NORMAL', escalatedAt: at(10) },
      { conversationId: 'urgent', priority: 'HIGH', escalatedAt: at(40) },
    ]);
    expect(Object.fromEntries(places)).toEqual({ urgent: 1, early: 2, late: 3 });
  });

  it('is 1 for the only one waiting; nobody waiting has no places', () => {
    expect(queuePlaces([{ conversationId: 'a', priority: 'NORMAL', escalatedAt: at(0) }]).get('a')).toBe(1);
    expect(queuePlaces([]).size).toBe(0);
  });
});

describe('the usual wait', () => {
  it('is the median of recent first responses, in whole minutes rounded up', () => {
    expect(estimateWaitMinutes([2 * MIN, 9 * MIN, 4 * MIN + 10_000])).toBe(5);
    expect(estimateWaitMinutes([1 * MIN, 2 * MIN, 3 * MIN, 7 * MIN])).toBe(3);
  });

  it('is at least a minute', () => {
    expect(estimateWaitMinutes([5_000, 10_000, 20_000])).toBe(1);
  });

  it('is no number at all without enough data (not a guess from who is online)', () => {
    expect(estimateWaitMinutes([])).toBeNull();
    expect(estimateWaitMinutes([3 * MIN, 4 * MIN])).toBeNull();
    expect(estimateWaitMinutes([3 * MIN], { minSamples: 1 })).toBe(3);
  });
});
