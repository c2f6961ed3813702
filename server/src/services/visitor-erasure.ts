/**
 * Erases a visitor and all their data on request (GDPR-style), from one of their conversations:
 * the site's admins and owners only. Every conversation of the visitor leaves the queue and its
 * planned replies stop; the audit log records who erased how much, never whom.
 */
import type { ErasureDto, OperatorProfile } from '@support-chat/protocol';
import type { AuditRecorder } from './audit-trail.ts';
import { OperatorError } from './operator-errors.ts';
import type { ChatStore, Realtime, VisitorDataStore } from './ports.ts';
import type { SiteAccess } from './site-access.ts';

const NO_CONVERSATION = 'No such conversation';

export class VisitorErasure {
  constructor(
    private readonly deps: {
      store: Pick<ChatStore, 'getConversation'>;
      data: VisitorDataStore;
      access: SiteAccess;
      audit: AuditRecorder;
      realtime: Pick<Realtime, 'queueRemove'>;
      /** Stops the bot's planned replies (and typing) in a conversation. */
      cancelReplies: (conversationId: string) => Promise<unknown>;
    },
  ) {}

  async erase(conversationId: string, operator: Pick<OperatorProfile, 'id' | 'name'>): Promise<ErasureDto> {
    const conversation = await this.deps.store.getConversation(conversationId);
    if (!conversation) throw new OperatorError('not_found', NO_CONVERSATION);
    await this.deps.access.inSite(operator, conversation.siteId, 'admin', NO_CONVERSATION, "Only the site's admins erase visitors");
    await this.deps.cancelReplies(conversationId);
    const erased = await this.deps.data.eraseVisitorOf(conversationId);
    if (!erased) throw new OperatorError('not_found', NO_CONVERSATION);
    for (const id of erased.conversationIds) this.deps.realtime.queueRemove(conversation.siteId, id);
    const result = { conversations: erased.conversationIds.length, messages: erased.messages };
    await this.deps.audit.record({ siteId: conversation.siteId, operator, action: 'visitor.erase', target: null, detail: result });
    return result;
  }
}
