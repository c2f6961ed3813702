/**
 * rate-limiter-flexible's memory limiter with a ceiling on how many keys it holds.
 *
 * Its own storage forgets a key when the key's window ends (a timer per key), so it is bounded
 * in time but not in count: one hour of per-IP limits keeps every address seen in that hour,
 * and IPv6 gives a client as many addresses as it likes. Past `maxKeys` the key whose window
 * started first is dropped (its counter starts over if it comes back) — memory stays flat
 * under a flood of distinct keys, and the keys being counted right now keep their counts.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export type BoundedMemoryLimiterOptions = ConstructorParameters<typeof RateLimiterMemory>[0] & {
  /** The most keys held at once. */
  maxKeys: number;
};

export class BoundedMemoryLimiter extends RateLimiterMemory {
  readonly maxKeys: number;
  /** Key → end of its window, oldest window first (every key of one limiter has the same duration). */
  private readonly windows = new Map<string, number>();

  constructor({ maxKeys, ...options }: BoundedMemoryLimiterOptions) {
    super(options);
    this.maxKeys = maxKeys;
  }

  override async consume(key: string | number, points = 1, options: { [key: string]: unknown } = {}): Promise<RateLimiterRes> {
    try {
      const res = await super.consume(key, points, options);
      this.track(String(key), res);
      return res;
    } catch (error) {
      if (error instanceof RateLimiterRes) this.track(String(key), error);
      throw error;
    }
  }

  private track(key: string, res: RateLimiterRes): void {
    const now = Date.now();
    if (res.isFirstInDuration || !this.windows.has(key)) {
      this.windows.delete(key);
      this.windows.set(key, now + res.msBeforeNext);
    }
    for (const [oldest, endsAt] of this.windows) {
      if (endsAt > now && this.windows.size <= this.maxKeys) break;
      this.windows.delete(oldest);
      // An ended window is already gone from the library's storage; a live one is evicted.
      if (endsAt > now) void this.delete(oldest);
    }
  }
}
