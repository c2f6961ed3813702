/**
 * Who answers what, in Postgres/PGlite. Assignment is decided by the services; this file makes
 * each write conditional so several server processes can race safely: an auto-assignment locks
 * the operator's row (`FOR UPDATE`) before counting what it holds, so two processes can never both
 * fill its last place, and a conversation changes hands only from the owner the caller saw.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Assignments, TeamMateRecord } from '../../services/ports.ts';
import type { Availability } from '@support-chat/protocol';

export class PrismaAssignments implements Assignments {
  constructor(private readonly db: PrismaClient) {}

  async team(siteId: string, operatorIds?: readonly string[]): Promise<TeamMateRecord[]> {
    const rows = await this.db.siteMembership.findMany({
      where: { siteId, ...(operatorIds ? { operatorId: { in: [...operatorIds] } } : {}) },
      select: { lastAssignedAt: true, operator: { select: { id: true, name: true, availability: true, maxConversations: true } } },
      orderBy: { operator: { name: 'asc' } },
    });
    const ids = rows.map((r) => r.operator.id);
    const open = await this.db.conversation.groupBy({ by: ['ownerId'], where: { status: 'OPERATOR', ownerId: { in: ids } }, _count: { _all: true } });
    const openBy = new Map(open.map((o) => [o.ownerId, o._count._all]));
    return rows.map(({ lastAssignedAt, operator }) => ({
      operatorId: operator.id,
      name: operator.name,
      availability: operator.availability,
      maxConversations: operator.maxConversations,
      open: openBy.get(operator.id) ?? 0,
      lastAssignedAt,
    }));
  }

  async autoAssign(siteId: string): Promise<boolean> {
    return (await this.db.site.findUnique({ where: { id: siteId }, select: { autoAssign: true } }))?.autoAssign ?? false;
  }

  async setAutoAssign(siteId: string, enabled: boolean): Promise<void> {
    await this.db.site.update({ where: { id: siteId }, data: { autoAssign: enabled } });
  }

  async waiting(siteId: string, limit: number): Promise<string[]> {
    const rows = await this.db.conversation.findMany({
      where: { siteId, status: 'WAITING', ownerId: null },
      select: { id: true },
      orderBy: [{ priority: 'desc' }, { escalatedAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  assign(conversationId: string, operatorId: string, siteId: string, at: Date): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      // Every assignment to this operator waits here for the one before it to commit.
      const [operator] = await tx.$queryRaw<{ availability: Availability; maxConversations: number }[]>`
        SELECT "availability"::text AS availability, "maxConversations" FROM "Operator" WHERE "id" = ${operatorId} FOR UPDATE`;
      if (!operator || operator.availability !== 'online') return false;
      const open = await tx.conversation.count({ where: { ownerId: operatorId, status: 'OPERATOR' } });
      if (open >= operator.maxConversations) return false;
      const { count } = await tx.conversation.updateMany({ where: { id: conversationId, siteId, status: 'WAITING', ownerId: null }, data: { ownerId: operatorId, status: 'OPERATOR' } });
      if (count === 0) return false;
      await tx.siteMembership.updateMany({ where: { siteId, operatorId }, data: { lastAssignedAt: at } });
      return true;
    });
  }

  async transfer(conversationId: string, from: string | null, to: string): Promise<boolean> {
    const { count } = await this.db.conversation.updateMany({
      where: { id: conversationId, ownerId: from, status: { in: ['WAITING', 'OPERATOR'] } },
      data: { ownerId: to, status: 'OPERATOR' },
    });
    return count === 1;
  }

  async setAvailability(operatorId: string, changes: { availability?: Availability; maxConversations?: number }): Promise<void> {
    await this.db.operator.update({ where: { id: operatorId }, data: changes });
  }
}
