/**
 * An operator hands a conversation to a colleague of the same site: its owner may, and so may the
 * site's admins (an unowned waiting conversation: any operator of the site, as a dispatcher). The
 * receiver must work in the conversation's site — another site's operator is `not_found`, as if
 * it did not exist. The receiver's consoles are told at once; the queue shows the new owner.
 */
import type { OperatorProfile, QueueItem } from '@support-chat/protocol';
import { OperatorError } from './operator-errors.ts';
import type { AuditRecorder } from './audit-trail.ts';
import type { Assignments, ChatStore, Realtime } from './ports.ts';
import type { SiteAccess } from './site-access.ts';

const NO_CONVERSATION = 'No such conversation';

export class TransferConversation {
  constructor(
    private readonly deps: {
      store: Pick<ChatStore, 'getConversation' | 'queueItem'>;
      assignments: Pick<Assignments, 'transfer'>;
      access: Pick<SiteAccess, 'inSite' | 'of'>;
      realtime: Pick<Realtime, 'status' | 'queueUpsert' | 'assigned'>;
      cancelReplies: (conversationId: string) => Promise<unknown>;
      audit: AuditRecorder;
      /** The previous owner has room again: the site's waiting conversations may go to it. */
      onCapacityFreed?: (siteId: string) => void;
    },
  ) {}

  async run(conversationId: string, to: string, operator: Pick<OperatorProfile, 'id' | 'name'>): Promise<QueueItem> {
    const { store, access, assignments, realtime } = this.deps;
    const conversation = await store.getConversation(conversationId);
    if (!conversation) throw new OperatorError('not_found', NO_CONVERSATION);
    const mine = await access.inSite(operator, conversation.siteId, 'member', NO_CONVERSATION);
    if (conversation.status !== 'WAITING' && conversation.status !== 'OPERATOR') throw new OperatorError('resolved', 'Only a waiting or taken conversation can be transferred');
    const owner = conversation.ownerId;
    if (owner !== null && owner !== operator.id && !mine.can(conversation.siteId, 'admin')) {
      throw new OperatorError('not_owner', 'Only the operator answering it, or an admin of the site, may transfer it');
    }
    const receiver = await access.of({ id: to }).catch(() => null);
    if (!receiver || receiver.roleIn(conversation.siteId) === null) throw new OperatorError('not_found', 'No such operator in this site');
    if (owner === to) throw new OperatorError('conflict', 'It is already theirs');

    if (!(await assignments.transfer(conversationId, owner, to))) throw new OperatorError('conflict', 'The conversation changed meanwhile: open it again');
    if (conversation.status === 'WAITING') await this.deps.cancelReplies(conversationId);
    const item = (await store.queueItem(conversationId))!;
    realtime.status(conversationId, 'OPERATOR', item.priority);
    realtime.queueUpsert(conversation.siteId, item);
    realtime.assigned?.(to, item, operator.name);
    await this.deps.audit.record({ siteId: conversation.siteId, operator, action: 'conversation.transfer', target: conversationId, detail: { from: owner, to } });
    if (owner !== null) this.deps.onCapacityFreed?.(conversation.siteId);
    return item;
  }
}
