/** The audit log in the `AuditEntry` table: appended by services, read by a site's admins. */
import type { AuditAction, AuditEntryDto } from '@support-chat/protocol';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { AuditLog, AuditRecord } from '../../services/ports.ts';

export class PrismaAuditLog implements AuditLog {
  constructor(private readonly db: PrismaClient) {}

  async record(entry: AuditRecord): Promise<void> {
    await this.db.auditEntry.create({
      data: {
        siteId: entry.siteId,
        operatorId: entry.operator.id,
        operatorName: entry.operator.name,
        action: entry.action,
        target: entry.target,
        detail: (entry.detail ?? {}) as Prisma.InputJsonValue,
      },
    });
  }

  async list(siteId: string, options: { before?: Date; limit: number }): Promise<AuditEntryDto[]> {
    const rows = await this.db.auditEntry.findMany({
      where: { siteId, ...(options.before ? { createdAt: { lt: options.before } } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: options.limit,
    });
    return rows.map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      operatorId: row.operatorId,
      operatorName: row.operatorName,
      action: row.action as AuditAction,
      target: row.target,
      detail: (row.detail ?? {}) as Record<string, unknown>,
    }));
  }
}
