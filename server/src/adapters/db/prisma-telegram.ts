/**
 * The Telegram channel's rows: each site's bot settings and polling lease (columns of Site), the
 * outbox of Bot API calls (TelegramCall, leased and retried like WebhookDelivery), and the mark
 * on a conversation whose user blocked the bot.
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { NewTelegramCall, TelegramBotRecord, TelegramCallJob, TelegramStore } from '../../services/ports.ts';
import { isUniqueViolation } from './prisma-store.ts';

type CallRow = { id: string; key: string; siteId: string; conversationId: string | null; method: string; payload: unknown; attempts: number };

const toJob = (row: CallRow): TelegramCallJob => ({
  id: row.id,
  key: row.key,
  siteId: row.siteId,
  conversationId: row.conversationId,
  method: row.method,
  payload: row.payload as Record<string, unknown>,
  attempts: row.attempts,
});

export class PrismaTelegram implements TelegramStore {
  constructor(private readonly db: PrismaClient) {}

  async enabledBots(): Promise<TelegramBotRecord[]> {
    const rows = await this.db.site.findMany({
      where: { enabled: true, telegramEnabled: true, telegramBotToken: { not: null } },
      select: { id: true, key: true, telegramBotToken: true },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((r) => ({ siteId: r.id, siteKey: r.key, sealedToken: r.telegramBotToken! }));
  }

  async settings(siteId: string): Promise<{ configured: boolean; enabled: boolean }> {
    const row = await this.db.site.findUnique({ where: { id: siteId }, select: { telegramBotToken: true, telegramEnabled: true } });
    return { configured: Boolean(row?.telegramBotToken), enabled: row?.telegramEnabled ?? false };
  }

  async configure(siteId: string, changes: { sealedToken?: string | null; enabled?: boolean }): Promise<void> {
    await this.db.site.update({
      where: { id: siteId },
      data: {
        ...(changes.sealedToken === undefined ? {} : { telegramBotToken: changes.sealedToken }),
        ...(changes.enabled === undefined ? {} : { telegramEnabled: changes.enabled }),
      },
    });
  }

  async leasePolling(siteId: string, owner: string, now: Date, until: Date): Promise<boolean> {
    const { count } = await this.db.site.updateMany({
      where: { id: siteId, OR: [{ telegramPollOwner: null }, { telegramPollOwner: owner }, { telegramPollLeaseUntil: { lt: now } }] },
      data: { telegramPollOwner: owner, telegramPollLeaseUntil: until },
    });
    return count === 1;
  }

  async releasePolling(siteId: string, owner: string): Promise<void> {
    await this.db.site.updateMany({ where: { id: siteId, telegramPollOwner: owner }, data: { telegramPollOwner: null, telegramPollLeaseUntil: null } });
  }

  async enqueueCall(call: NewTelegramCall, leaseUntil: Date): Promise<TelegramCallJob | null> {
    try {
      const row = await this.db.telegramCall.create({
        data: { ...call, payload: call.payload as Prisma.InputJsonValue, nextAttemptAt: leaseUntil },
      });
      return toJob(row);
    } catch (error) {
      if (isUniqueViolation(error)) return null; // planned already (another process, or a retried update)
      throw error;
    }
  }

  async dueCalls(now: Date, limit: number): Promise<TelegramCallJob[]> {
    const rows = await this.db.telegramCall.findMany({ where: { status: 'PENDING', nextAttemptAt: { lte: now } }, orderBy: { nextAttemptAt: 'asc' }, take: limit });
    return rows.map(toJob);
  }

  async leaseCall(id: string, now: Date, leaseUntil: Date): Promise<boolean> {
    const { count } = await this.db.telegramCall.updateMany({ where: { id, status: 'PENDING', nextAttemptAt: { lte: now } }, data: { nextAttemptAt: leaseUntil } });
    return count === 1;
  }

  async callDone(id: string, at: Date): Promise<void> {
    await this.db.telegramCall.update({ where: { id }, data: { status: 'DELIVERED', deliveredAt: at, attempts: { increment: 1 } } });
  }

  async callFailed(id: string, error: string, nextAttemptAt: Date | null): Promise<void> {
    await this.db.telegramCall.update({
      where: { id },
      data: { attempts: { increment: 1 }, lastError: error.slice(0, 500), ...(nextAttemptAt ? { nextAttemptAt } : { status: 'FAILED' }) },
    });
  }

  async markBlocked(conversationId: string, at: Date): Promise<void> {
    await this.db.conversation.updateMany({ where: { id: conversationId, deliveryBlockedAt: null }, data: { deliveryBlockedAt: at } });
  }

  async isBlocked(conversationId: string): Promise<boolean> {
    const row = await this.db.conversation.findUnique({ where: { id: conversationId }, select: { deliveryBlockedAt: true } });
    return Boolean(row?.deliveryBlockedAt);
  }

  async decideUnreadable(messageId: string): Promise<void> {
    // UNKNOWN, sure of it: the rules count it as a message the bot did not understand.
    await this.db.message.updateMany({ where: { id: messageId, category: null }, data: { category: 'UNKNOWN', confidence: 1, classificationSource: 'telegram' } });
  }
}
