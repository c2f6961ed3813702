/**
 * An operator writes a private note in a conversation of its site. Notes live in their own store
 * and reach only the operators watching the conversation: no visitor socket, history, REST answer
 * or webhook reads them, so a note cannot leak to the visitor by any path that sends messages.
 */
import type { NoteDto, OperatorProfile } from '@support-chat/protocol';
import { OperatorError } from './operator-errors.ts';
import type { ChatStore, ConversationNotes, NoteRecord, Realtime } from './ports.ts';
import type { SiteAccess } from './site-access.ts';

const NO_CONVERSATION = 'No such conversation';

export function noteDto(note: NoteRecord): NoteDto {
  return { ...note, createdAt: note.createdAt.toISOString() };
}

export class AddNote {
  constructor(
    private readonly deps: {
      store: Pick<ChatStore, 'getConversation'>;
      notes: Pick<ConversationNotes, 'add'>;
      access: Pick<SiteAccess, 'inSite'>;
      realtime: Pick<Realtime, 'note'>;
    },
  ) {}

  /** Any operator of the conversation's site may write one, whoever answers it, even after it is resolved. */
  async run(conversationId: string, text: string, operator: Pick<OperatorProfile, 'id'>): Promise<NoteDto> {
    const conversation = await this.deps.store.getConversation(conversationId);
    if (!conversation) throw new OperatorError('not_found', NO_CONVERSATION);
    await this.deps.access.inSite(operator, conversation.siteId, 'member', NO_CONVERSATION);
    const note = noteDto(await this.deps.notes.add(conversationId, operator.id, text));
    this.deps.realtime.note?.(conversationId, note);
    return note;
  }
}
