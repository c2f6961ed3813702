/**
 * Delivers planned replies — one way, whoever runs it. (A reply due at once is not planned: its
 * decision's statement writes the bot message, with the same outbox rows, and it is announced
 * here like the others — `deliveredWithDecision`.) The PendingReply row is the durable job:
 * it is stored when the message is decided, and `store.deliverReply` turns it into the bot's
 * message in one conditional statement (PENDING → DELIVERED), so it goes out exactly once
 * across processes, and never once an operator owns the conversation.
 *
 * Two things call that statement:
 *  - the process that planned a reply arms a timer for its due time (precise, no polling delay);
 *  - every process polls for replies overdue by more than `graceMs`: the planner died, or its
 *    attempt failed while Postgres was away. The grace is the planner's lease on its own reply.
 * The typing indicator is part of the plan: it starts at `typingAt` and ends with delivery or
 * cancellation.
 */
import { BackgroundLoop } from './background-loop.ts';
import type { ChatStore, Clock, DeliveredReply, ProductMetrics, Realtime, TelegramDelivery, WebhookDeliveryLease } from './ports.ts';
import type { TelegramChannel } from './telegram-channel.ts';
import type { WebhookService } from './webhook-service.ts';

export interface ReplyDeliveryOptions {
  /** How often every process looks for overdue replies. */
  pollIntervalMs: number;
  /** How late a reply must be before a process other than its planner delivers it. */
  graceMs: number;
  /** Overdue replies delivered per poll. */
  batch: number;
}

export const DEFAULT_DELIVERY_OPTIONS: ReplyDeliveryOptions = { pollIntervalMs: 1000, graceMs: 1500, batch: 200 };

export interface PlannedReply {
  id: string;
  conversationId: string;
  typingAt: Date;
  dueAt: Date;
  /** False for a REST or Telegram conversation: no widget shows its typing indicator. */
  widget?: boolean;
}

/** setTimeout's ceiling (~24.8 days); the poll delivers anything planned further out. */
const MAX_TIMEOUT = 2 ** 31 - 1;

export class ReplyDelivery {
  private readonly dueTimers = new Map<string, NodeJS.Timeout>();
  private readonly typingTimers = new Map<string, NodeJS.Timeout>();
  /** Conversations whose typing indicator this process turned on (and has not turned off). */
  private readonly typingShown = new Set<string>();
  /** Replies this process planned, until they go out or are dropped: it knows whether typing showed. */
  private readonly plannedHere = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly poll: BackgroundLoop;

  constructor(
    private readonly deps: {
      store: ChatStore;
      realtime: Realtime;
      webhooks: WebhookService;
      /** Telegram conversations: the typing status and the reply go to the chat. */
      telegram?: Pick<TelegramChannel, 'replyCall' | 'delivered' | 'typing'>;
      clock: Clock;
      onError: (error: unknown, context: string) => void;
      options?: Partial<ReplyDeliveryOptions>;
      /** Observes how late each reply went out. */
      metrics?: Pick<ProductMetrics, 'replyLateness'>;
    },
  ) {
    const options = this.options;
    this.poll = new BackgroundLoop(() => this.deliverOverdue(), {
      name: 'overdue reply poll',
      intervalMs: options.pollIntervalMs,
      maxIntervalMs: options.pollIntervalMs * 2,
      onError: deps.onError,
    });
  }

  private get options(): ReplyDeliveryOptions {
    return { ...DEFAULT_DELIVERY_OPTIONS, ...this.deps.options };
  }

  /** Arms this process's timers for a reply it has just planned. */
  arm(reply: PlannedReply): void {
    this.stopTyping(reply.conversationId, false);
    this.plannedHere.add(reply.id);
    const now = this.deps.clock.now().getTime();
    if (reply.dueAt.getTime() > reply.typingAt.getTime()) {
      const timer = setTimeout(() => {
        this.typingTimers.delete(reply.conversationId);
        if (reply.widget !== false) {
          this.typingShown.add(reply.conversationId);
          this.deps.realtime.typing(reply.conversationId, 'bot', true);
        }
        this.deps.telegram?.typing(reply.conversationId, true);
      }, Math.max(0, reply.typingAt.getTime() - now));
      this.typingTimers.set(reply.conversationId, timer);
    }
    const wait = reply.dueAt.getTime() - now;
    if (wait > MAX_TIMEOUT) return;
    clearTimeout(this.dueTimers.get(reply.id));
    this.dueTimers.set(
      reply.id,
      setTimeout(() => {
        this.dueTimers.delete(reply.id);
        void this.deliver(reply.id, reply.dueAt).catch((error) => this.deps.onError(error, 'reply delivery'));
      }, Math.max(0, wait)),
    );
  }

  /** Delivers one reply if it is still pending (exactly once across processes); `dueAt` measures its lateness. */
  deliver(replyId: string, dueAt?: Date): Promise<void> {
    const run = this.deliverNow(replyId, dueAt);
    this.inFlight.add(run);
    void run.catch(() => undefined).finally(() => this.inFlight.delete(run));
    return run;
  }

  /**
   * What a delivery stores with the bot message: a Telegram reply's outbox call (see
   * TelegramChannel.delivered) and a webhook's job, leased to this process, so a crash right after
   * the statement cannot lose them (the sweeps send them).
   */
  outbox(): { telegram?: TelegramDelivery; webhook: WebhookDeliveryLease } {
    return { telegram: this.deps.telegram?.replyCall(), webhook: { leaseUntil: this.deps.webhooks.leaseUntil() } };
  }

  private async deliverNow(replyId: string, dueAt?: Date): Promise<void> {
    const at = this.deps.clock.now();
    const { telegram, webhook } = this.outbox();
    const delivered = await this.deps.store.deliverReply(replyId, at, telegram, webhook);
    clearTimeout(this.dueTimers.get(replyId));
    this.dueTimers.delete(replyId);
    const planned = this.plannedHere.delete(replyId);
    if (!delivered) return; // cancelled, or delivered by another process
    if (dueAt) this.deps.metrics?.replyLateness((at.getTime() - dueAt.getTime()) / 1000);
    // "Typing" is turned off only where it may be showing: a reply planned here with no typing
    // phase (delays off, an immediate answer) needs no `typing false` — the widget drops the
    // indicator on the bot's message anyway. Another planner's reply (this process's poll took
    // it over) may have shown one.
    const conversationId = delivered.conversation.id;
    this.stopTyping(conversationId, !planned || this.typingShown.has(conversationId));
    await this.announce(delivered);
  }

  /**
   * A reply its decision delivered at once (`DecisionToApply.deliverNow`: no typing phase to end)
   * goes out like any other, in the background (the webhook and Telegram calls are HTTP), and
   * `stop` waits for it.
   */
  deliveredWithDecision(delivered: DeliveredReply): void {
    this.deps.metrics?.replyLateness(0); // due when decided, delivered by that statement
    const run = this.announce(delivered);
    this.inFlight.add(run);
    void run.catch((error) => this.deps.onError(error, 'reply delivery')).finally(() => this.inFlight.delete(run));
  }

  /** A delivered reply reaches its conversation: the widget, the webhook, the Telegram chat. */
  private async announce(delivered: DeliveredReply): Promise<void> {
    const { message, conversation } = delivered;
    this.deps.realtime.message(conversation.id, message, { widget: conversation.channel === 'WIDGET' });
    if (delivered.webhookJobId) await this.deps.webhooks.sendStored(delivered.webhookJobId, conversation, message);
    if (conversation.channel === 'TELEGRAM') await this.deps.telegram?.delivered(conversation, delivered);
  }

  /** The bot goes silent: its pending replies in this conversation are cancelled. */
  async cancel(conversationId: string): Promise<number> {
    const cancelled = await this.deps.store.cancelPendingReplies(conversationId);
    for (const id of cancelled) {
      clearTimeout(this.dueTimers.get(id));
      this.dueTimers.delete(id);
      this.plannedHere.delete(id);
    }
    this.stopTyping(conversationId);
    return cancelled.length;
  }

  stopTyping(conversationId: string, notify = true): void {
    const timer = this.typingTimers.get(conversationId);
    if (timer) {
      clearTimeout(timer);
      this.typingTimers.delete(conversationId);
    }
    this.deps.telegram?.typing(conversationId, false);
    // Without `notify` an indicator already showing stays on: the next planned reply takes it over.
    if (!notify) return;
    this.typingShown.delete(conversationId);
    this.deps.realtime.typing(conversationId, 'bot', false);
  }

  /** One poll: delivers replies overdue by more than the grace (any planner's). */
  async deliverOverdue(): Promise<number> {
    const { graceMs, batch } = this.options;
    const overdue = await this.deps.store.pendingReplies(new Date(this.deps.clock.now().getTime() - graceMs), batch);
    // A failed one stays PENDING for the next poll; the others still go out now.
    const results = await Promise.allSettled(overdue.map((reply) => this.deliver(reply.id, reply.dueAt)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return overdue.length;
  }

  start(): void {
    this.poll.start();
  }

  /** Stops timers and polling, then waits for deliveries under way (graceful shutdown). */
  async stop(): Promise<void> {
    await this.poll.stop();
    for (const t of [...this.dueTimers.values(), ...this.typingTimers.values()]) clearTimeout(t);
    this.dueTimers.clear();
    this.typingTimers.clear();
    this.plannedHere.clear();
    this.typingShown.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}
