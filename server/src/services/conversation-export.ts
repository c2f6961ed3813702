/** A conversation's transcript as a file (JSON or plain text), for any member of its site. */
import type { OperatorProfile, TranscriptFile, TranscriptFormat } from '@support-chat/protocol';
import { transcriptFile } from '../domain/transcript/transcript.ts';
import { OperatorError } from './operator-errors.ts';
import type { ChatStore, Clock, StoredMessage } from './ports.ts';
import type { SiteAccess } from './site-access.ts';

const NO_CONVERSATION = 'No such conversation';
/** Messages read per query while gathering a long conversation. */
const PAGE = 1000;

export class ConversationExport {
  constructor(private readonly deps: { store: Pick<ChatStore, 'getConversation' | 'queueItem' | 'messagesAfter'>; access: SiteAccess; clock: Clock }) {}

  async export(conversationId: string, format: TranscriptFormat, operator: Pick<OperatorProfile, 'id'>): Promise<TranscriptFile> {
    const { store } = this.deps;
    const conversation = await store.getConversation(conversationId);
    if (!conversation) throw new OperatorError('not_found', NO_CONVERSATION);
    await this.deps.access.inSite(operator, conversation.siteId, 'member', NO_CONVERSATION);
    const item = await store.queueItem(conversationId);
    if (!item) throw new OperatorError('not_found', NO_CONVERSATION);
    const messages: StoredMessage[] = [];
    for (let page = await store.messagesAfter(conversationId, 0, PAGE); page.length > 0; page = await store.messagesAfter(conversationId, page.at(-1)!.seq, PAGE)) {
      messages.push(...page);
      if (page.length < PAGE) break;
    }
    // Operators' own marks stay in the console: the file has what was said.
    const said = messages.map(({ markedWrong: _marked, confidence: _c, classificationSource: _s, templateKey: _t, ...m }) => m);
    return transcriptFile({ conversation: item, messages: said, exportedAt: this.deps.clock.now() }, format);
  }
}
