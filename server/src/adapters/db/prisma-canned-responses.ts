/** Canned responses in the `CannedResponse` table; every id is scoped by its site. */
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import { ShortcutTaken, type CannedResponseRecord, type CannedResponses } from '../../services/ports.ts';

const RECORD = { id: true, shortcut: true, text: true, updatedAt: true } as const;

export class PrismaCannedResponses implements CannedResponses {
  constructor(private readonly db: PrismaClient) {}

  list(siteId: string): Promise<CannedResponseRecord[]> {
    return this.db.cannedResponse.findMany({ where: { siteId }, select: RECORD, orderBy: { shortcut: 'asc' } });
  }

  count(siteId: string): Promise<number> {
    return this.db.cannedResponse.count({ where: { siteId } });
  }

  async save(siteId: string, id: string | null, fields: { shortcut: string; text: string }): Promise<CannedResponseRecord | null> {
    try {
      if (id === null) return await this.db.cannedResponse.create({ data: { siteId, ...fields }, select: RECORD });
      // updateMany scopes the id by site: another site's id changes nothing.
      const { count } = await this.db.cannedResponse.updateMany({ where: { id, siteId }, data: fields });
      return count === 0 ? null : await this.db.cannedResponse.findUnique({ where: { id }, select: RECORD });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new ShortcutTaken(`another canned response already uses /${fields.shortcut}`);
      throw error;
    }
  }

  async delete(siteId: string, id: string): Promise<boolean> {
    const { count } = await this.db.cannedResponse.deleteMany({ where: { id, siteId } });
    return count > 0;
  }
}
