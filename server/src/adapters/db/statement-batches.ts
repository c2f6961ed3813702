/**
 * Calls that arrive while the database is busy, gathered into one statement. Each statement costs
 * Postgres a fixed share (a round trip, the executor's start, a commit that waits for its WAL) and
 * the server one more write and result to handle; gathered, N calls pay it once. A call that finds
 * the database idle goes alone at once (after the current I/O callbacks: calls that arrived in the
 * same poll of the sockets still meet), so nothing waits for a batch to fill.
 *
 * Calls with one key (a conversation) never share a batch, and one waits while its key's batch is
 * in flight: its statement must see the earlier one's rows (a seq, a history), never race it.
 */
export interface BatchRunner<I, O> {
  /** One statement for two or more calls: one result per item, in their order. */
  many(items: I[]): Promise<O[]>;
  /** A call alone: its own statement (cheaper than a batch of one). */
  one(item: I): Promise<O>;
  key(item: I): string;
  /**
   * A failure the calls still waiting would meet too (the database unreachable): they get it at
   * once instead of each waiting out its own statement's timeout after this one's.
   */
  sharedFailure?(error: unknown): boolean;
}

interface Waiting<I, O> {
  item: I;
  key: string;
  resolve(result: O): void;
  reject(error: unknown): void;
}

export class StatementBatches<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private readonly busyKeys = new Set<string>();
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly runner: BatchRunner<I, O>,
    /** Statements of this kind at once: more calls than that wait and form the next batch. */
    private readonly maxInFlight: number,
    private readonly maxBatch: number,
  ) {}

  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, key: this.runner.key(item), resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.inFlight < this.maxInFlight) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      void this.send(batch);
    }
  }

  /** The oldest calls whose keys are free, one per key, up to maxBatch; the rest keep their places. */
  private takeBatch(): Waiting<I, O>[] {
    const batch: Waiting<I, O>[] = [];
    const rest: Waiting<I, O>[] = [];
    const seen = new Set<string>();
    for (const call of this.waiting) {
      if (batch.length < this.maxBatch && !seen.has(call.key) && !this.busyKeys.has(call.key)) batch.push(call);
      else rest.push(call);
      seen.add(call.key);
    }
    this.waiting = rest;
    return batch;
  }

  private async send(batch: Waiting<I, O>[]): Promise<void> {
    this.inFlight++;
    for (const call of batch) this.busyKeys.add(call.key);
    try {
      if (batch.length === 1) {
        const [call] = batch as [Waiting<I, O>];
        call.resolve(await this.runner.one(call.item));
      } else {
        const results = await this.runner.many(batch.map((call) => call.item));
        batch.forEach((call, i) => call.resolve(results[i]!));
      }
    } catch (error) {
      for (const call of batch) call.reject(error);
      if (this.runner.sharedFailure?.(error)) for (const call of this.waiting.splice(0)) call.reject(error);
    } finally {
      for (const call of batch) this.busyKeys.delete(call.key);
      this.inFlight--;
      if (this.waiting.length > 0) this.schedule();
    }
  }
}
