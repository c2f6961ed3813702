import { describe, expect, it } from 'vitest';
import { ServerBusy, WorkQueue } from './work-queue.ts';

describe('a work queue under a burst', () => {
  it('runs a bounded number at once, in arrival order, and refuses past its bound with a retry hint', async () => {
    const queue = new WorkQueue({ concurrency: 2, maxQueued: 3, retryAfterSeconds: 2 });
    const started: number[] = [];
    const releases: Array<() => void> = [];
    const task = (n: number) => () =>
      new Promise<number>((resolve) => {
        started.push(n);
        releases.push(() => resolve(n));
      });
    const accepted = [1, 2, 3, 4, 5].map((n) => queue.run(task(n)));
    await Promise.resolve();
    expect(started).toEqual([1, 2]);
    expect(queue.waiting).toBe(3);

    await expect(queue.run(task(6))).rejects.toEqual(new ServerBusy(2));
    expect(((await queue.run(task(7)).catch((e: unknown) => e)) as ServerBusy).message).toBe('The server is busy, please retry in 2 s');

    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(accepted)).toEqual([1, 2, 3, 4, 5]);
    expect(started).toEqual([1, 2, 3, 4, 5]);
  });
});
