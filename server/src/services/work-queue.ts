/**
 * Backpressure: runs at most `concurrency` tasks at once, the rest wait in arrival order; past
 * `maxQueued` waiting, a new task is refused at once with `ServerBusy` (the client is told when
 * to retry) instead of piling up memory or timing out deep inside the database pool.
 */
import pLimit, { type LimitFunction } from 'p-limit';

export class ServerBusy extends Error {
  override name = 'ServerBusy';
  constructor(readonly retryAfterSeconds: number) {
    super(`The server is busy, please retry in ${retryAfterSeconds} s`);
  }
}

export interface WorkQueueOptions {
  concurrency: number;
  maxQueued: number;
  retryAfterSeconds: number;
}

export class WorkQueue {
  private readonly limit: LimitFunction;

  constructor(private readonly options: WorkQueueOptions) {
    this.limit = pLimit(options.concurrency);
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.limit.pendingCount >= this.options.maxQueued) return Promise.reject(new ServerBusy(this.options.retryAfterSeconds));
    return this.limit(task);
  }

  get waiting(): number {
    return this.limit.pendingCount;
  }
}
