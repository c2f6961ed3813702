/**
 * A periodic background task that can never take the process down: a failure (Postgres or
 * Redis away) is reported once per failure streak, the interval backs off up to `maxIntervalMs`,
 * and the first success after a streak is reported too, so the log reads "failing … recovered".
 * Runs never overlap: the next one is scheduled when the previous one has finished.
 */
export interface BackgroundLoopOptions {
  name: string;
  intervalMs: number;
  /** Longest wait between attempts while failing; keep it short where recovery time matters. */
  maxIntervalMs?: number;
  onError: (error: unknown, context: string) => void;
  onRecovered?: (context: string, failures: number) => void;
}

export class BackgroundLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private failures = 0;
  private stopped = true;

  constructor(
    private readonly task: () => Promise<unknown>,
    private readonly options: BackgroundLoopOptions,
  ) {}

  /** Starts the loop; the first run is after `firstDelayMs` (default: right away). */
  start(firstDelayMs = 0): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(firstDelayMs);
  }

  /** Runs the task now (tests, start-up) unless a run is under way; never rejects. */
  runNow(): Promise<void> {
    this.running ??= this.runOnce().finally(() => (this.running = null));
    return this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runNow().then(() => this.schedule(this.nextDelay()));
    }, ms);
    this.timer.unref();
  }

  private nextDelay(): number {
    const { intervalMs, maxIntervalMs = intervalMs } = this.options;
    return this.failures === 0 ? intervalMs : Math.min(maxIntervalMs, intervalMs * 2 ** Math.min(this.failures, 10));
  }

  private async runOnce(): Promise<void> {
    try {
      await this.task();
      if (this.failures > 0) this.options.onRecovered?.(this.options.name, this.failures);
      this.failures = 0;
    } catch (error) {
      if (this.failures === 0) this.options.onError(error, this.options.name);
      this.failures++;
    }
  }

  /** Stops scheduling and waits for a run under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
