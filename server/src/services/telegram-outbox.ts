/**
 * Every Bot API call that must happen (a reply, an operator's message, the rating keyboard, the
 * answer to a button press) is a stored TelegramCall first — the same durable-job pattern as
 * webhook deliveries: stored leased to the process that attempts it at once, retried by any
 * process's sweep with exponential backoff on timeouts and 5xx, after Telegram's `retry_after`
 * on 429, given up on other 4xx. A 403 (the user blocked the bot) also marks the conversation,
 * and nothing more is sent to it. The call's key makes planning it twice store it once.
 */
import { BackgroundLoop } from './background-loop.ts';
import type { Clock, NewTelegramCall, TelegramApi, TelegramCallJob, TelegramStore } from './ports.ts';

export class TelegramApiError extends Error {
  override name = 'TelegramApiError';
  constructor(
    message: string,
    /** HTTP status, or 0 for a network error or timeout. */
    readonly status: number,
    /** 429: how long Telegram asks us to wait. */
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
  }

  /** Timeouts, network errors, 5xx and 429 may succeed later; other 4xx will not. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }

  /** 403: the user blocked the bot (or deleted their account): nothing will reach them. */
  get blocked(): boolean {
    return this.status === 403;
  }
}


export interface TelegramOutboxOptions {
  maxAttempts: number;
  /** First retry after this many ms, doubling each time (capped at 5 minutes). */
  baseBackoffMs: number;
  /** How long one call may take (the client's timeout). */
  attemptTimeoutMs: number;
}

export class TelegramOutbox {
  private loop: BackgroundLoop | null = null;

  constructor(
    private readonly deps: {
      store: TelegramStore;
      api: TelegramApi;
      /** The site's bot token now (null: its bot was switched off; the call waits for a retry). */
      tokenFor: (siteId: string) => Promise<string | null>;
      clock: Clock;
      options: TelegramOutboxOptions;
      onError: (error: unknown, context: string) => void;
      onBlocked?: (conversationId: string) => void;
    },
  ) {}

  /** Stores the call and makes it at once (unless its key was stored already). */
  async send(call: NewTelegramCall): Promise<void> {
    const job = await this.deps.store.enqueueCall(call, this.leaseUntil());
    if (job) await this.attempt(job);
  }

  /** While one attempt is in flight no sweep (of any process) may start another. */
  private leaseUntil(): Date {
    return new Date(this.deps.clock.now().getTime() + this.deps.options.attemptTimeoutMs + 5_000);
  }

  private async attempt(job: TelegramCallJob): Promise<void> {
    const { store, api, clock, options } = this.deps;
    try {
      if (job.conversationId && (await store.isBlocked(job.conversationId))) {
        await store.callFailed(job.id, 'the user blocked the bot', null);
        return;
      }
      const token = await this.deps.tokenFor(job.siteId);
      if (!token) throw new TelegramApiError(`${job.method}: the site's bot is off`, 0, null);
      await api.call(token, job.method, job.payload);
      await store.callDone(job.id, clock.now());
    } catch (error) {
      const failure = error instanceof TelegramApiError ? error : new TelegramApiError(error instanceof Error ? error.message : String(error), 0, null);
      if (failure.blocked && job.conversationId) {
        await store.markBlocked(job.conversationId, clock.now());
        this.deps.onBlocked?.(job.conversationId);
      }
      const attempt = job.attempts + 1;
      const backoff = failure.retryAfterSeconds !== null ? failure.retryAfterSeconds * 1000 : Math.min(options.baseBackoffMs * 2 ** (attempt - 1), 300_000);
      const next = failure.retryable && attempt < options.maxAttempts ? new Date(clock.now().getTime() + backoff) : null;
      await store.callFailed(job.id, failure.message, next);
    }
  }

  /** Makes due calls every `intervalMs` (also those a crashed process left). */
  start(intervalMs = 250): void {
    this.loop ??= new BackgroundLoop(() => this.sweep(), { name: 'telegram outbox sweep', intervalMs, maxIntervalMs: 2000, onError: this.deps.onError });
    this.loop.start();
  }

  async sweep(): Promise<void> {
    const { store, clock } = this.deps;
    const due = await store.dueCalls(clock.now(), 50);
    // One at a time, oldest first: a chat's messages keep their order.
    for (const job of due) {
      if (await store.leaseCall(job.id, clock.now(), this.leaseUntil())) await this.attempt(job);
    }
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }
}
