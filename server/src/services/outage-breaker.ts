/**
 * Fails fast while a dependency is known to be down. Without it, every message of a burst
 * queued behind the first ones would wait out its own connection timeout in turn, and the last
 * visitors would hear nothing for far longer than the few seconds one timeout takes.
 *
 * Closed: calls run. A failure that `isOutage` recognises opens it: for `coolDownMs` every call
 * fails at once with that error. Then one call probes; its success closes it, its failure opens
 * it again — while it runs, the others still fail at once.
 */
import type { Clock } from './ports.ts';

export class OutageBreaker {
  private openUntil = 0;
  private lastError: unknown = null;
  private probing = false;

  constructor(private readonly options: { isOutage: (error: unknown) => boolean; coolDownMs: number; clock: Clock }) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    const now = this.options.clock.now().getTime();
    const open = this.lastError !== null;
    if (open && (now < this.openUntil || this.probing)) throw this.lastError;
    this.probing = open;
    try {
      const result = await task();
      this.lastError = null;
      return result;
    } catch (error) {
      if (this.options.isOutage(error)) {
        this.lastError = error;
        this.openUntil = this.options.clock.now().getTime() + this.options.coolDownMs;
      } else if (open) this.lastError = null; // it answered: the dependency is back
      throw error;
    } finally {
      if (open) this.probing = false;
    }
  }
}
