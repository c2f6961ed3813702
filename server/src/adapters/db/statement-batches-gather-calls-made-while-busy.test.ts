import { describe, expect, it } from 'vitest';
import { StatementBatches, type BatchRunner } from './statement-batches.ts';

interface Call {
  key: string;
  value: number;
}

/** A runner whose statements finish when the test says so; it records what each one carried. */
function controlledRunner(sharedFailure?: (error: unknown) => boolean) {
  const statements: { items: Call[]; finish(error?: Error): void }[] = [];
  const started: Array<() => void> = [];
  const run = (items: Call[]) =>
    new Promise<number[]>((resolve, reject) => {
      statements.push({ items, finish: (error) => (error ? reject(error) : resolve(items.map((item) => item.value * 10))) });
      started.splice(0).forEach((wake) => wake());
    });
  const runner: BatchRunner<Call, number> = {
    key: (call) => call.key,
    one: async (call) => (await run([call]))[0]!,
    many: run,
    ...(sharedFailure ? { sharedFailure } : {}),
  };
  /** Resolves once `count` statements have started. */
  const statementsStarted = async (count: number) => {
    while (statements.length < count) await new Promise<void>((wake) => started.push(wake));
  };
  return { runner, statements, statementsStarted };
}

describe('statement batches', () => {
  it('sends a call alone when idle, and gathers the calls made meanwhile into one statement', async () => {
    const { runner, statements, statementsStarted } = controlledRunner();
    const batches = new StatementBatches(runner, 1, 32);
    const first = batches.run({ key: 'a', value: 1 });
    await statementsStarted(1);
    const later = [batches.run({ key: 'b', value: 2 }), batches.run({ key: 'c', value: 3 }), batches.run({ key: 'd', value: 4 })];
    statements[0]!.finish();
    expect(await first).toBe(10);
    await statementsStarted(2);
    expect(statements[1]!.items.map((item) => item.value)).toEqual([2, 3, 4]);
    statements[1]!.finish();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('never puts two calls of one key in a statement, nor starts one while its key is in flight', async () => {
    const { runner, statements, statementsStarted } = controlledRunner();
    const batches = new StatementBatches(runner, 4, 32);
    const results = [batches.run({ key: 'a', value: 1 }), batches.run({ key: 'a', value: 2 }), batches.run({ key: 'b', value: 3 })];
    await statementsStarted(1);
    expect(statements.map((s) => s.items.map((item) => item.value))).toEqual([[1, 3]]);
    // Two statements may be in flight, but the second call of `a` waits for the first one's.
    statements[0]!.finish();
    await statementsStarted(2);
    expect(statements[1]!.items.map((item) => item.value)).toEqual([2]);
    statements[1]!.finish();
    expect(await Promise.all(results)).toEqual([10, 20, 30]);
  });

  it('fails only the calls of the statement that failed', async () => {
    const { runner, statements, statementsStarted } = controlledRunner();
    const batches = new StatementBatches(runner, 1, 32);
    const first = batches.run({ key: 'a', value: 1 });
    await statementsStarted(1);
    const gathered = [batches.run({ key: 'b', value: 2 }), batches.run({ key: 'c', value: 3 })];
    statements[0]!.finish(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await statementsStarted(2);
    statements[1]!.finish();
    expect(await Promise.all(gathered)).toEqual([20, 30]);
  });

  it('keeps a batch within its size; the rest form the next one', async () => {
    const { runner, statements, statementsStarted } = controlledRunner();
    const batches = new StatementBatches(runner, 1, 2);
    const first = batches.run({ key: 'a', value: 1 });
    await statementsStarted(1);
    const rest = [2, 3, 4].map((value) => batches.run({ key: `k${value}`, value }));
    statements[0]!.finish();
    await first;
    await statementsStarted(2);
    expect(statements[1]!.items.map((item) => item.value)).toEqual([2, 3]);
    statements[1]!.finish();
    await statementsStarted(3);
    expect(statements[2]!.items.map((item) => item.value)).toEqual([4]);
    statements[2]!.finish();
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
  });

  it('fails the calls still waiting at once when the failure is one they would meet too', async () => {
    const unreachable = new Error('Query read timeout');
    const { runner, statements, statementsStarted } = controlledRunner((error) => error === unreachable);
    const batches = new StatementBatches(runner, 1, 32);
    const first = batches.run({ key: 'a', value: 1 });
    await statementsStarted(1);
    const waiting = [batches.run({ key: 'b', value: 2 }), batches.run({ key: 'c', value: 3 })];
    statements[0]!.finish(unreachable);
    await expect(first).rejects.toBe(unreachable);
    for (const call of waiting) await expect(call).rejects.toBe(unreachable);
    expect(statements).toHaveLength(1);
    // Later calls are sent as usual.
    const later = batches.run({ key: 'd', value: 4 });
    await statementsStarted(2);
    statements[1]!.finish();
    expect(await later).toBe(40);
  });
});
