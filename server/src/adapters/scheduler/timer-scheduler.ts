/**
 * The embedded default's scheduler: in-process timers. Durability comes from the store — every
 * planned reply is a PENDING row, and the service re-schedules those rows at start.
 */
import type { Clock, ReplyScheduler } from '../../services/ports.ts';

/** setTimeout's ceiling (~24.8 days); longer waits are re-armed in steps. */
const MAX_TIMEOUT = 2 ** 31 - 1;

export class TimerScheduler implements ReplyScheduler {
  private handler: ((replyId: string) => Promise<void>) | null = null;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly clock: Clock,
    private readonly onError: (error: unknown, replyId: string) => void,
  ) {}

  onDue(handler: (replyId: string) => Promise<void>): void {
    this.handler = handler;
  }

  async schedule(replyId: string, dueAt: Date): Promise<void> {
    clearTimeout(this.timers.get(replyId));
    const wait = Math.max(0, dueAt.getTime() - this.clock.now().getTime());
    const timer = setTimeout(() => {
      if (wait > MAX_TIMEOUT) return void this.schedule(replyId, dueAt);
      this.timers.delete(replyId);
      this.handler?.(replyId).catch((error) => this.onError(error, replyId));
    }, Math.min(wait, MAX_TIMEOUT));
    this.timers.set(replyId, timer);
  }

  async close(): Promise<void> {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
