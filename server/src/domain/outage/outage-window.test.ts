import { describe, expect, it } from 'vitest';
import { isMassOutage, recordReport, type OutageOptions, type OutageWindow } from './outage-window.ts';

const MINUTE = 60_000;
const OPTIONS: OutageOptions = { threshold: 5, windowMs: 10 * MINUTE };

/** Feeds reports `[visitor, minute]` in order, as the memory adapter does. */
function replay(reports: Array<[string, number]>, options = OPTIONS): OutageWindow {
  let window: OutageWindow = new Map();
  for (const [visitor, minute] of reports) window = recordReport(window, visitor, minute * MINUTE, options);
  return window;
}

describe('the outage window', () => {
  it('counts distinct visitors within the window', () => {
    const window = replay([['a', 0], ['b', 1], ['c', 2], ['d', 3], ['e', 9]]);
    expect(window.size).toBe(5);
    expect(isMassOutage(window.size, OPTIONS)).toBe(true);
  });

  it('counts a visitor who reports again once, at their latest report', () => {
    const window = replay([['a', 0], ['a', 1], ['a', 2], ['b', 3], ['a', 4]]);
    expect(window.size).toBe(2);
    expect(window.get('a')).toBe(4 * MINUTE);
    expect(isMassOutage(window.size, OPTIONS)).toBe(false);
  });

  it('forgets reports older than the window', () => {
    const window = replay([['a', 0], ['b', 1], ['c', 2], ['d', 3], ['e', 11.5]]);
    expect([...window.keys()]).toEqual(['c', 'd', 'e']);
    expect(isMassOutage(window.size, OPTIONS)).toBe(false);
  });

  it('a report exactly one window old no longer counts', () => {
    expect([...replay([['a', 0], ['b', 10]]).keys()]).toEqual(['b']);
  });

  it('a visitor reporting again stays in the window with the new time', () => {
    const window = replay([['a', 0], ['b', 1], ['a', 9], ['c', 12]]);
    expect([...window.keys()].sort()).toEqual(['a', 'c']);
  });

  it('five reports spread over more than the window never open an incident', () => {
    let window: OutageWindow = new Map();
    let opened = false;
    for (let i = 0; i < 50; i++) {
      window = recordReport(window, `v${i}`, i * 3 * MINUTE, OPTIONS); // one every 3 minutes: ≤ 4 in any 10
      opened ||= isMassOutage(window.size, OPTIONS);
    }
    expect(opened).toBe(false);
  });

  it('does not change the window it was given', () => {
    const before: OutageWindow = new Map([['a', 0]]);
    recordReport(before, 'b', 20 * MINUTE, OPTIONS);
    expect([...before]).toEqual([['a', 0]]);
  });

  it('opens at the configured threshold, not before', () => {
    expect(isMassOutage(4, OPTIONS)).toBe(false);
    expect(isMassOutage(5, OPTIONS)).toBe(true);
    expect(isMassOutage(2, { ...OPTIONS, threshold: 2 })).toBe(true);
  });
});
