/**
 * Every Bot API call that must happen (a reply, an operator's message, the rating keyboard, the
 * answer to a button press) is a stored TelegramCall first — the same durable-job pattern as
 * webhook deliveries: stored leased to the process that attempts it at once, retried by any
 * process's sweep with exponential backoff on timeouts and 5xx, after Telegram's `retry_after`
 * on 429, given up on other 4xx. A 403 (the user blocked the bot) also marks the conversation,
 * and nothing more is sent to it. The call's key makes planning it twice store it once.
 *
 * A chat's calls go out in the order they were stored, one at a time: a call stored while an
 * earlier one of its chat is pending (in flight, or waiting for its retry) waits for the sweep,
 * which only takes the oldest pending call of each chat. The sweep runs every second for what
 * other processes left, and at once for this process's own waiting work: when a call of its
 * finishes while a call stored here waits, and when a retry of its falls due. Different chats never wait for each
 * other: the process that stores a call sends it at once (one statement, then the HTTP call),
 * and the sweep sends its chats' calls concurrently. Marking calls done is batched: one update
 * marks what finished within MARK_GATHER_MS (and while the previous update ran).
 *
 * A bot reply's call is stored by the statement that delivers the reply (`deliverReply` with a
 * lease from `leaseUntil`), outside this process's per-chat queue: its order against a call of
 * its chat stored at the same moment rests on the stored checks alone, as between processes.
 */
import { BackgroundLoop } from './background-loop.ts';
import { KeyedQueue } from './keyed-queue.ts';
import type { Clock, EnqueuedCall, LeasedCall, NewTelegramCall, TelegramApi, TelegramCallJob, TelegramStore } from './ports.ts';

/** Why a call to a chat whose user blocked the bot was never made. */
export const BLOCKED_REASON = 'the user blocked the bot';

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
  /** How long a sent call waits for others to be marked with it (default MARK_GATHER_MS). */
  markGatherMs?: number;
}

/** Calls one sweep leases (each a different chat's, sent concurrently). */
const SWEEP_BATCH = 20;
/** A sweep goes on while it finds work (a chat's next call is due once the one before is done), this many rounds at most. */
const SWEEP_ROUNDS = 50;
/**
 * How long a sent call waits for others to be marked with it. Marked as soon as each finished,
 * 40 updates in flight (`pnpm bench telegram`, ~100 updates/s on a busy machine) took 262 marking
 * statements for 730 updates, 0.36 per update; gathered for 20 ms, the bench's statements per
 * update fell from 0.86 to 0.75 (3 interleaved runs each). The wait delays only the next call of
 * the same chat (it goes once this one is marked), and widens by as much the window in which a
 * crash leaves a sent call unmarked (re-sent after its lease: the one duplicate an outbox cannot
 * rule out).
 */
const MARK_GATHER_MS = 20;

/** The chat a call goes to (`payload.chat_id`); a callback answer has none and waits for nothing. */
export function callChat(call: Pick<NewTelegramCall, 'payload'>): string | null {
  const chat = call.payload.chat_id;
  return typeof chat === 'string' || typeof chat === 'number' ? String(chat) : null;
}

export class TelegramOutbox {
  private loop: BackgroundLoop | null = null;
  /** In this process, a chat's calls are stored and sent one after another. */
  private readonly chats = new KeyedQueue();
  /** Calls sent and not yet marked, with when they finished (performance.now()). */
  private readonly finished: Array<{ id: string; at: number; settle: (error?: unknown) => void }> = [];
  private marking: Promise<void> | null = null;
  /** The gathering wait of the marking under way; `stop` ends it early. */
  private gathering: { end: () => void } | null = null;
  /** A call stored here waits (behind an earlier one of its chat): sweep when a call of this process finishes. */
  private waiting = false;
  private sweeping = false;
  private kicked = false;
  private stopped = false;
  private readonly retryTimers = new Set<NodeJS.Timeout>();

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

  /** Stores the call and makes it at once, unless its key was stored already or its chat has an earlier call pending. */
  send(call: NewTelegramCall): Promise<void> {
    const chat = callChat(call);
    return chat === null ? this.storeAndAttempt(call) : this.chats.run(`${call.siteId}:${chat}`, () => this.storeAndAttempt(call));
  }

  private async storeAndAttempt(call: NewTelegramCall): Promise<void> {
    const stored = await this.deps.store.enqueueCall(call, this.deps.clock.now(), this.leaseUntil());
    if (stored) await this.sendStored(stored);
  }

  /** Makes a call that another statement stored (leased to this process when `attemptNow`). */
  async sendStored(stored: EnqueuedCall): Promise<void> {
    if (stored.attemptNow) await this.attempt(stored.job);
    else this.waiting = true;
  }

  /** While one attempt is in flight no sweep (of any process) may start another. */
  leaseUntil(): Date {
    return new Date(this.deps.clock.now().getTime() + this.deps.options.attemptTimeoutMs + 5_000);
  }

  private async attempt(job: TelegramCallJob): Promise<void> {
    try {
      const token = await this.deps.tokenFor(job.siteId);
      if (!token) throw new TelegramApiError(`${job.method}: the site's bot is off`, 0, null);
      await this.deps.api.call(token, job.method, job.payload);
    } catch (error) {
      return this.failed(job, error);
    }
    await this.markDone(job.id);
    if (this.waiting) {
      this.waiting = false;
      this.kick();
    }
  }

  private async failed(job: TelegramCallJob, error: unknown): Promise<void> {
    const { store, clock, options } = this.deps;
    const failure = error instanceof TelegramApiError ? error : new TelegramApiError(error instanceof Error ? error.message : String(error), 0, null);
    if (failure.blocked && job.conversationId) {
      await store.markBlocked(job.conversationId, clock.now());
      this.deps.onBlocked?.(job.conversationId);
    }
    const attempt = job.attempts + 1;
    const backoff = failure.retryAfterSeconds !== null ? failure.retryAfterSeconds * 1000 : Math.min(options.baseBackoffMs * 2 ** (attempt - 1), 300_000);
    const next = failure.retryable && attempt < options.maxAttempts ? new Date(clock.now().getTime() + backoff) : null;
    await store.callFailed(job.id, failure.message, next);
    if (next) this.kickAt(backoff);
  }

  /**
   * Resolves once the call is stored as delivered. One update marks every call that finished
   * while the previous update ran, once the oldest of them finished `markGatherMs` ago.
   */
  private markDone(id: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.finished.push({ id, at: performance.now(), settle: (error) => (error === undefined ? resolve() : reject(error)) });
      this.marking ??= this.markFinished().finally(() => (this.marking = null));
    });
  }

  private async markFinished(): Promise<void> {
    while (this.finished.length > 0) {
      const wait = this.finished[0]!.at + (this.deps.options.markGatherMs ?? MARK_GATHER_MS) - performance.now();
      if (wait > 0 && !this.stopped) await this.gather(wait);
      const batch = this.finished.splice(0);
      try {
        await this.deps.store.callsDone(batch.map((b) => b.id), this.deps.clock.now());
        for (const b of batch) b.settle();
      } catch (error) {
        // Left pending: sent again once its lease ends (the one duplicate an outbox cannot rule out).
        for (const b of batch) b.settle(error);
      }
    }
  }

  private gather(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.gathering?.end(), ms);
      this.gathering = {
        end: () => {
          clearTimeout(timer);
          this.gathering = null;
          resolve();
        },
      };
    });
  }

  /** Makes due calls every `intervalMs` (also those a crashed process left). */
  start(intervalMs = 1000): void {
    this.stopped = false;
    this.loop ??= new BackgroundLoop(() => this.sweep(), { name: 'telegram outbox sweep', intervalMs, maxIntervalMs: 2000, onError: this.deps.onError });
    this.loop.start();
  }

  /** Sweeps now; a sweep under way may have looked before the work was due, so one more follows it. */
  private kick(): void {
    if (!this.loop || this.stopped || this.kicked) return;
    this.kicked = true;
    const after = this.sweeping;
    void this.loop.runNow().then(() => {
      this.kicked = false;
      if (after && !this.stopped) return this.loop?.runNow();
    });
  }

  private kickAt(delayMs: number): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.kick();
    }, delayMs);
    timer.unref();
    this.retryTimers.add(timer);
  }

  async sweep(): Promise<void> {
    this.sweeping = true;
    try {
      for (let round = 0; round < SWEEP_ROUNDS; round++) {
        const leased = await this.deps.store.leaseDueCalls(this.deps.clock.now(), this.leaseUntil(), SWEEP_BATCH);
        if (leased.length === 0) return;
        const results = await Promise.allSettled(leased.map((job) => this.attemptLeased(job)));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      }
    } finally {
      this.sweeping = false;
    }
  }

  private attemptLeased(job: LeasedCall): Promise<void> {
    // The user blocked the bot after this call was stored: it is given up unsent.
    if (job.blocked) return this.deps.store.callFailed(job.id, BLOCKED_REASON, null);
    return this.attempt(job);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.gathering?.end();
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    await this.loop?.stop();
    await this.chats.drain();
    await this.marking;
  }
}
