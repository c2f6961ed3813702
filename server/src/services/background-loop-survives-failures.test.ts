import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackgroundLoop } from './background-loop.ts';

describe('a background loop whose task fails (a dependency is down)', () => {
  afterEach(() => vi.useRealTimers());

  it('never rejects, reports once per failure streak, backs off, and reports the recovery', async () => {
    vi.useFakeTimers();
    const errors: string[] = [];
    const recovered: number[] = [];
    const outcomes = [false, false, false, true, true];
    const runsAt: number[] = [];
    const loop = new BackgroundLoop(
      async () => {
        runsAt.push(Date.now());
        if (outcomes.shift() === false) throw new Error('ECONNREFUSED 127.0.0.1:5432');
      },
      { name: 'test loop', intervalMs: 100, maxIntervalMs: 300, onError: (e, c) => errors.push(`${c}: ${(e as Error).message}`), onRecovered: (_, n) => recovered.push(n) },
    );
    loop.start();
    await vi.advanceTimersByTimeAsync(2000);
    await loop.stop();

    expect(errors).toEqual(['test loop: ECONNREFUSED 127.0.0.1:5432']);
    expect(recovered).toEqual([3]);
    const gaps = runsAt.slice(1, 5).map((t, i) => t - runsAt[i]!);
    expect(gaps).toEqual([200, 300, 300, 100]); // doubling, capped, back to normal after success
  });

  it('does not start a run while one is under way', async () => {
    let release!: () => void;
    let runs = 0;
    const loop = new BackgroundLoop(
      () => {
        runs++;
        return new Promise<void>((r) => (release = r));
      },
      { name: 'slow', intervalMs: 10, onError: () => {} },
    );
    const first = loop.runNow();
    const second = loop.runNow();
    expect(runs).toBe(1);
    release();
    await Promise.all([first, second]);
  });
});
