/**
 * The operators' inbox: the views (open with the bot, mine, waiting, resolved, and the queue),
 * filters, full-text search over messages, and a conversation opened at its newest messages.
 * Everything is scoped to the caller's sites (SiteAccess): another site's conversation is never
 * listed, found or opened — it is `not_found`, as if it did not exist.
 */
import {
  INBOX_LIMITS,
  type ConversationDetail,
  type ConversationStatus,
  type InboxFilters,
  type InboxListInput,
  type InboxPage,
  type InboxSearchInput,
  type InboxView,
  type MessageDto,
  type OperatorProfile,
  type SearchPage,
} from '@support-chat/protocol';
import { decodeCursor, encodeCursor } from '../domain/inbox/cursor.ts';
import { OperatorError } from './operator-errors.ts';
import { noteDto } from './add-note.ts';
import type { ChatStore, ConversationNotes, InboxCursor, InboxRepo, InboxScope } from './ports.ts';
import type { SiteAccess } from './site-access.ts';

type Caller = Pick<OperatorProfile, 'id'>;

const NO_CONVERSATION = 'No such conversation';
/** Notes shown when a conversation is opened: the newest ones. */
const NOTES_SHOWN = 200;

/** The statuses each view lists. */
const VIEW_STATUSES: Record<InboxView, readonly ConversationStatus[]> = {
  queue: ['WAITING', 'OPERATOR'],
  open: ['BOT'],
  mine: ['OPERATOR'],
  waiting: ['WAITING'],
  resolved: ['RESOLVED'],
};

export class Inbox {
  constructor(
    private readonly deps: {
      repo: InboxRepo;
      store: Pick<ChatStore, 'getConversation' | 'queueItem'>;
      access: SiteAccess;
      /** Private notes, shown beside the messages when a conversation is opened. */
      notes: Pick<ConversationNotes, 'list'>;
    },
  ) {}

  async list(operator: Caller, input: InboxListInput): Promise<InboxPage> {
    const scope = await this.scope(operator, input);
    const limit = pageSize(input.limit);
    const items = await this.deps.repo.conversations(
      { ...scope, statuses: VIEW_STATUSES[input.view], ...(input.view === 'mine' ? { ownerId: operator.id } : {}) },
      cursorOf(input.cursor),
      limit + 1,
    );
    const page = items.slice(0, limit);
    return { items: page, nextCursor: items.length > limit ? encodeCursor({ createdAt: page.at(-1)!.createdAt, id: page.at(-1)!.conversationId }) : null };
  }

  async search(operator: Caller, input: InboxSearchInput): Promise<SearchPage> {
    const scope = await this.scope(operator, input);
    const limit = pageSize(input.limit);
    const hits = await this.deps.repo.search(scope, input.query, cursorOf(input.cursor), limit + 1);
    const page = hits.slice(0, limit);
    const last = page.at(-1)?.message;
    return { hits: page.map(({ item, message }) => ({ item, message: asDto(message) })), nextCursor: hits.length > limit && last ? encodeCursor(last) : null };
  }

  /** The conversation with its newest messages; older ones come with `earlier`. */
  async open(conversationId: string, operator: Caller): Promise<ConversationDetail> {
    await this.inOperatorsSite(conversationId, operator);
    const [item, messages, notes] = await Promise.all([
      this.deps.store.queueItem(conversationId),
      this.deps.repo.messagesBefore(conversationId, null, INBOX_LIMITS.openMessages + 1),
      this.deps.notes.list(conversationId, NOTES_SHOWN),
    ]);
    if (!item) throw new OperatorError('not_found', NO_CONVERSATION);
    const hasEarlier = messages.length > INBOX_LIMITS.openMessages;
    return { ...item, messages: (hasEarlier ? messages.slice(1) : messages).map(asDto), hasEarlier, notes: notes.map(noteDto) };
  }

  /** The messages just before `beforeSeq`, oldest first. */
  async earlier(conversationId: string, beforeSeq: number, operator: Caller): Promise<{ messages: MessageDto[]; hasEarlier: boolean }> {
    await this.inOperatorsSite(conversationId, operator);
    const messages = await this.deps.repo.messagesBefore(conversationId, beforeSeq, INBOX_LIMITS.openMessages + 1);
    const hasEarlier = messages.length > INBOX_LIMITS.openMessages;
    return { messages: (hasEarlier ? messages.slice(1) : messages).map(asDto), hasEarlier };
  }

  /** The sites a list or search may look at: the caller's, or the one it filtered on if it is in it. */
  private async scope(operator: Caller, filters: InboxFilters): Promise<InboxScope> {
    const access = await this.deps.access.of(operator);
    const rest = { priority: filters.priority, intent: filters.intent, channel: filters.channel };
    if (filters.siteKey === undefined) return { siteIds: access.siteIds, ...rest };
    // A member's memberships name their sites' keys: only an owner's filter (or a refusal) looks the site up.
    const member = access.memberships.find((m) => m.siteKey === filters.siteKey);
    const siteId = member?.siteId ?? (await this.deps.access.site(operator, filters.siteKey, 'member')).site.id;
    return { siteIds: [siteId], ...rest };
  }

  private async inOperatorsSite(conversationId: string, operator: Caller): Promise<void> {
    const conversation = await this.deps.store.getConversation(conversationId);
    if (!conversation) throw new OperatorError('not_found', NO_CONVERSATION);
    await this.deps.access.inSite(operator, conversation.siteId, 'member', NO_CONVERSATION);
  }
}

function pageSize(limit: number | undefined): number {
  return Math.min(INBOX_LIMITS.maxPageSize, Math.max(1, limit ?? INBOX_LIMITS.pageSize));
}

function cursorOf(cursor: string | undefined): InboxCursor | null {
  if (cursor === undefined) return null;
  const key = decodeCursor(cursor);
  if (!key) throw new OperatorError('validation_error', 'This cursor is not one the server made; start from the first page');
  return key;
}

/** What operators see of a stored message (the classifier's internals stay on the server). */
function asDto(message: MessageDto): MessageDto {
  const { id, conversationId, seq, author, text, clientMessageId, createdAt, category, operatorName, sources, markedWrong } = message;
  return { id, conversationId, seq, author, text, clientMessageId, createdAt, category, operatorName, sources, markedWrong };
}
