/** Private notes in the `ConversationNote` table, with their author's name. */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { ConversationNotes, NoteRecord } from '../../services/ports.ts';

const SELECT = { id: true, conversationId: true, text: true, operatorId: true, createdAt: true, operator: { select: { name: true } } } as const;

type Row = { id: string; conversationId: string; text: string; operatorId: string | null; createdAt: Date; operator: { name: string } | null };

const record = ({ operator, ...row }: Row): NoteRecord => ({ ...row, operatorName: operator?.name ?? null });

export class PrismaConversationNotes implements ConversationNotes {
  constructor(private readonly db: PrismaClient) {}

  async add(conversationId: string, operatorId: string, text: string): Promise<NoteRecord> {
    return record(await this.db.conversationNote.create({ data: { conversationId, operatorId, text }, select: SELECT }));
  }

  async list(conversationId: string, limit: number): Promise<NoteRecord[]> {
    const rows = await this.db.conversationNote.findMany({ where: { conversationId }, select: SELECT, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
    return rows.reverse().map(record);
  }
}
