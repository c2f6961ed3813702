/**
 * Erasing a visitor on request (GDPR-style): one transaction deletes the Visitor row, and the
 * foreign keys' ON DELETE CASCADE take its conversations, their messages, planned replies and
 * webhook deliveries with it. Audit entries that pointed at those conversations lose the pointer
 * (the action stays, the visitor is not named). New tables that hold a visitor's data must
 * reference Visitor, Conversation or Message with a cascade: the erase test checks every table
 * that references them.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { VisitorDataStore } from '../../services/ports.ts';

export class PrismaVisitorData implements VisitorDataStore {
  constructor(private readonly db: PrismaClient) {}

  eraseVisitorOf(conversationId: string) {
    return this.db.$transaction(async (tx) => {
      const conversation = await tx.conversation.findUnique({ where: { id: conversationId }, select: { visitorId: true } });
      if (!conversation) return null;
      const { visitorId } = conversation;
      const conversations = await tx.conversation.findMany({ where: { visitorId }, select: { id: true } });
      const conversationIds = conversations.map((c) => c.id);
      const messages = await tx.message.count({ where: { conversationId: { in: conversationIds } } });
      await tx.auditEntry.updateMany({ where: { target: { in: conversationIds } }, data: { target: null } });
      await tx.visitor.delete({ where: { id: visitorId } });
      return { visitorId, conversationIds, messages };
    });
  }
}
