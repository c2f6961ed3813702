import { describe, expect, it } from 'vitest';
import { durationLabel, percentLabel } from './analytics-format.ts';

describe('analytics labels', () => {
  it('write durations in seconds, minutes and hours', () => {
    expect([null, 45, 60, 120, 264, 2280, 3600, 7500].map(durationLabel)).toEqual(['—', '45 s', '1 min', '2 min', '4 min 24 s', '38 min', '1 h', '2 h 5 min']);
  });

  it('write rates as percentages with one decimal', () => {
    expect([null, 3 / 7, 1, 0].map(percentLabel)).toEqual(['—', '42.9%', '100.0%', '0.0%']);
  });
});
