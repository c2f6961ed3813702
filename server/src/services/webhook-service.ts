/**
 * Delivers bot and operator replies to a REST platform's webhook. Each delivery is a stored
 * row first (so a restart resumes it), POSTed with an `X-Message-ID` idempotency header and
 * signed with the site's key (Standard Webhooks; the message id is the `webhook-id`), retried
 * with exponential backoff on timeouts, network errors and 5xx, given up on 4xx.
 */
import { BackgroundLoop } from './background-loop.ts';
import { restClientId } from '../domain/rest-identity.ts';
import { noProductMetrics, type ChatStore, type Clock, type ConversationRecord, type ProductMetrics, type StoredMessage, type WebhookJob, type WebhookSecrets, type WebhookSender } from './ports.ts';

export class WebhookError extends Error {
  override name = 'WebhookError';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface WebhookOptions {
  maxAttempts: number;
  /** First retry after this many ms, doubling each time (capped at 5 minutes). */
  baseBackoffMs: number;
  /** How long one POST may take (the sender's timeout). */
  attemptTimeoutMs: number;
}

/** A failed POST, for the log: which conversation's reply, where, and whether it is tried again. */
export interface WebhookFailure {
  conversationId: string;
  messageId: string;
  deliveryId: string;
  url: string;
  attempt: number;
  error: string;
  /** When the next attempt is due; null = given up. */
  retryAt: Date | null;
}

export interface WebhookObservers {
  metrics?: ProductMetrics;
  onFailure?: (failure: WebhookFailure) => void;
}

export class WebhookService {
  private loop: BackgroundLoop | null = null;

  constructor(
    private readonly store: ChatStore,
    private readonly sender: WebhookSender,
    private readonly secrets: WebhookSecrets,
    private readonly clock: Clock,
    private readonly options: WebhookOptions,
    private readonly onError: (error: unknown, context: string) => void,
    private readonly observers: WebhookObservers = {},
  ) {}

  payload(conversation: ConversationRecord, message: StoredMessage) {
    return {
      chat_id: conversation.chatId,
      platform: conversation.platform,
      client_id: restClientId(conversation.visitorExternalId),
      message_id: message.id,
      text: message.text,
      category: message.category,
      author: message.author,
      /** A knowledge-base answer's articles (as in the REST answer), empty otherwise. */
      sources: (message.sources ?? []).map((s) => ({ article_id: s.articleId, title: s.title, url: s.url, score: s.score })),
      escalated: conversation.status === 'WAITING' || conversation.status === 'OPERATOR',
      priority: conversation.priority,
      sent_at: message.createdAt,
    };
  }

  /** Sends a bot reply's job that its delivery stored (leased to this process until `leaseUntil()`). */
  async sendStored(jobId: string, conversation: ConversationRecord, message: StoredMessage): Promise<void> {
    if (!conversation.webhookUrl) return;
    await this.attempt({ id: jobId, url: conversation.webhookUrl, payload: this.payload(conversation, message), messageId: message.id, conversationId: conversation.id, attempts: 0 });
  }

  async enqueue(conversation: ConversationRecord, message: StoredMessage): Promise<void> {
    if (!conversation.webhookUrl) return;
    const job = await this.store.enqueueWebhook(message.id, conversation.webhookUrl, this.payload(conversation, message), this.leaseUntil());
    if (job) await this.attempt(job);
  }

  /** While one attempt is in flight no sweep (of any process) may start another. */
  leaseUntil(): Date {
    return new Date(this.clock.now().getTime() + this.options.attemptTimeoutMs + 5_000);
  }

  private async attempt(job: WebhookJob): Promise<void> {
    try {
      await this.sender.post(job.url, job.payload, job.messageId, await this.secrets.forMessage(job.messageId));
      this.metrics.webhookAttempt('delivered');
      await this.store.webhookDelivered(job.id, this.clock.now());
    } catch (error) {
      const retryable = !(error instanceof WebhookError) || error.retryable;
      const attempt = job.attempts + 1;
      const next =
        retryable && attempt < this.options.maxAttempts
          ? new Date(this.clock.now().getTime() + Math.min(this.options.baseBackoffMs * 2 ** (attempt - 1), 300_000))
          : null;
      const message = error instanceof Error ? error.message : String(error);
      this.metrics.webhookAttempt(next ? 'retry' : 'failed');
      this.observers.onFailure?.({ conversationId: job.conversationId, messageId: job.messageId, deliveryId: job.id, url: job.url, attempt, error: message, retryAt: next });
      await this.store.webhookFailed(job.id, message, next);
    }
  }

  private get metrics(): ProductMetrics {
    return this.observers.metrics ?? noProductMetrics;
  }

  /**
   * Retries due deliveries every `intervalMs` (also picks up work left by a crash); while the
   * database is away it reports once and backs off to 2 s.
   */
  start(intervalMs = 500): void {
    this.loop ??= new BackgroundLoop(() => this.sweep(), { name: 'webhook sweep', intervalMs, maxIntervalMs: 2000, onError: this.onError });
    this.loop.start();
  }

  async sweep(): Promise<void> {
    for (const job of await this.store.dueWebhooks(this.clock.now(), 50)) {
      if (!(await this.store.leaseWebhook(job.id, this.clock.now(), this.leaseUntil()))) continue;
      // A bot reply's job stored by its delivery, whose process did not send it: built now.
      const payload = job.payload ?? (await this.storedPayload(job));
      if (payload === null) await this.store.webhookFailed(job.id, 'its message or conversation is gone', null);
      else await this.attempt({ ...job, payload });
    }
  }

  private async storedPayload(job: WebhookJob): Promise<unknown> {
    const [message, conversation] = await Promise.all([this.store.getMessage(job.messageId), this.store.getConversation(job.conversationId)]);
    return message && conversation ? this.payload(conversation, message) : null;
  }

  /** Stops the retries, waiting for a sweep under way. */
  async stop(): Promise<void> {
    await this.loop?.stop();
  }
}
