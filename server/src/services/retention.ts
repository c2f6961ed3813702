/**
 * Retention: the bookkeeping of delivery — planned replies once delivered or cancelled, webhook
 * deliveries and Telegram calls once delivered or given up — is deleted after `days`, so those tables stay the size
 * of recent traffic. Messages and conversations are kept. Deletes run in batches (short locks),
 * hourly, in any process: deleting what another process already deleted is harmless.
 */
import { BackgroundLoop } from './background-loop.ts';
import type { ChatStore, Clock, TelegramStore } from './ports.ts';

const HOUR_MS = 3_600_000;
const BATCH = 5000;

export class Retention {
  private readonly loop: BackgroundLoop;

  constructor(
    private readonly deps: {
      store: ChatStore;
      telegram: Pick<TelegramStore, 'deleteFinishedCallsBefore'>;
      clock: Clock;
      days: number;
      onError: (error: unknown, context: string) => void;
    },
  ) {
    this.loop = new BackgroundLoop(() => this.run(), { name: 'retention', intervalMs: HOUR_MS, onError: deps.onError });
  }

  /** Deletes everything finished before the cutoff; returns how many rows of each kind. */
  async run(): Promise<{ replies: number; webhooks: number; telegramCalls: number }> {
    const before = new Date(this.deps.clock.now().getTime() - this.deps.days * 24 * HOUR_MS);
    const total = { replies: 0, webhooks: 0, telegramCalls: 0 };
    for (;;) {
      const deleted = await this.deps.store.deleteFinishedBefore(before, BATCH);
      const telegramCalls = await this.deps.telegram.deleteFinishedCallsBefore(before, BATCH);
      total.replies += deleted.replies;
      total.webhooks += deleted.webhooks;
      total.telegramCalls += telegramCalls;
      if (deleted.replies < BATCH && deleted.webhooks < BATCH && telegramCalls < BATCH) return total;
    }
  }

  /** First run a minute after start, then hourly. */
  start(): void {
    this.loop.start(60_000);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
