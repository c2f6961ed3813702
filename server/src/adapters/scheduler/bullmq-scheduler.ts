/**
 * Scheduler on BullMQ delayed jobs (when REDIS_URL is set). Jobs survive a crash in Redis, and
 * with several server processes each job runs in exactly one worker; the store's conditional
 * PENDING → DELIVERED update guards against a job, a timer and a start-up sweep all delivering.
 *
 * The process that plans a reply also arms a local timer for it: timers fire within a
 * millisecond or two, while promoting delayed jobs adds tens of ms under load. The job is the
 * durable copy, due a little later (BACKUP_GRACE_MS) so it does not double the work at the due
 * moment — if this process dies, another worker (or the restarted one) delivers the reply; if
 * the timer delivered it, the job finds it delivered and does nothing.
 */
const BACKUP_GRACE_MS = 2000;
import { Queue, Worker } from 'bullmq';
import type { Clock, ReplyScheduler } from '../../services/ports.ts';
import { TimerScheduler } from './timer-scheduler.ts';

export interface BullMqSchedulerOptions {
  redisUrl: string;
  queueName?: string;
  clock: Clock;
  onError: (error: unknown, replyId: string) => void;
}

export class BullMqScheduler implements ReplyScheduler {
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private handler: ((replyId: string) => Promise<void>) | null = null;
  private readonly local: TimerScheduler;

  constructor(private readonly options: BullMqSchedulerOptions) {
    this.local = new TimerScheduler(options.clock, options.onError);
    this.queue = new Queue(options.queueName ?? 'support-chat-replies', { connection: this.connection() });
  }

  private connection() {
    const url = new URL(this.options.redisUrl);
    return {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username || undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: Number(url.pathname.slice(1) || 0),
      tls: url.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: null,
    };
  }

  onDue(handler: (replyId: string) => Promise<void>): void {
    this.handler = handler;
    this.local.onDue(handler);
    this.worker ??= new Worker(
      this.queue.name,
      async (job) => {
        const replyId = (job.data as { replyId: string }).replyId;
        await this.handler?.(replyId);
      },
      { connection: this.connection(), concurrency: 50 },
    );
    this.worker.on('failed', (job, error) => this.options.onError(error, String(job?.data?.replyId)));
  }

  async schedule(replyId: string, dueAt: Date): Promise<void> {
    const delay = Math.max(0, dueAt.getTime() - this.options.clock.now().getTime());
    // jobId = replyId: scheduling the same reply twice (start-up sweep) adds one job only.
    await this.queue.add('deliver', { replyId }, { jobId: replyId, delay: delay + BACKUP_GRACE_MS, removeOnComplete: 1000, removeOnFail: true, attempts: 3, backoff: { type: 'exponential', delay: 500 } });
    await this.local.schedule(replyId, dueAt);
  }

  async close(): Promise<void> {
    await this.local.close();
    await this.worker?.close();
    await this.queue.close();
  }
}
