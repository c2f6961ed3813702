import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalescer } from './coalescer.ts';

describe('coalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a burst of pokes runs once, after the wait', async () => {
    const run = vi.fn(async () => {});
    const c = coalescer(run, 300);
    for (let i = 0; i < 50; i += 1) c.poke();
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(300);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('pokes during a run ask for exactly one more run after it, never two at once', async () => {
    let finish = () => {};
    let running = 0;
    let most = 0;
    const run = vi.fn(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => (finish = resolve));
      running -= 1;
    });
    const c = coalescer(run, 100);
    c.poke();
    await vi.advanceTimersByTimeAsync(100);
    expect(run).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 20; i += 1) c.poke();
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).toHaveBeenCalledTimes(1); // still the first run
    finish();
    await vi.advanceTimersByTimeAsync(100);
    expect(run).toHaveBeenCalledTimes(2);
    finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).toHaveBeenCalledTimes(2);
    expect(most).toBe(1);
  });

  it('a failed run does not stop later ones; stop cancels the pending one', async () => {
    const run = vi.fn(async () => {
      throw new Error('offline');
    });
    const c = coalescer(run, 50);
    c.poke();
    await vi.advanceTimersByTimeAsync(50);
    c.poke();
    await vi.advanceTimersByTimeAsync(50);
    expect(run).toHaveBeenCalledTimes(2);
    c.poke();
    c.stop();
    c.poke();
    await vi.advanceTimersByTimeAsync(500);
    expect(run).toHaveBeenCalledTimes(2);
  });
});
