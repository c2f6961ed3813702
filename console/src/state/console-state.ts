/**
 * Everything the console shows about the queue and the open conversation, as one pure reducer:
 * socket events and acks become actions, so ordering and dedupe are tested without a server.
 */
import type { ConversationDetail, IncidentDto, MessageDto, NoteDto, QueueItem } from '@support-chat/protocol';
import { mergeMessages, mergeNotes } from './messages.ts';
import { removeQueueItem, sortQueue, upsertQueueItem } from './queue.ts';

export type ConnectionStatus = 'connecting' | 'online' | 'offline';

export interface OpenConversation {
  /** The latest known state of the conversation (from the open ack, queue events and action acks). */
  item: QueueItem;
  messages: MessageDto[];
  /** Older messages than the first shown exist on the server ("Load earlier"). */
  hasEarlier: boolean;
  /** Private notes of the site's operators (never the visitor's to see). */
  notes: NoteDto[];
  visitorTyping: boolean;
}

export interface ConsoleState {
  connection: ConnectionStatus;
  /** False until the first `queue:list` answer, so an empty queue is not shown before it is known. */
  loaded: boolean;
  queue: QueueItem[];
  incidents: IncidentDto[];
  operatorsOnline: number | null;
  /** The conversation the operator picked; `open` follows once the server sent its history. */
  selectedId: string | null;
  open: OpenConversation | null;
}

export type ConsoleAction =
  | { type: 'connection'; status: ConnectionStatus }
  | { type: 'queue:loaded'; items: QueueItem[]; incidents: IncidentDto[] }
  | { type: 'queue:upsert'; item: QueueItem }
  | { type: 'queue:remove'; conversationId: string }
  | { type: 'incident:opened'; incident: IncidentDto }
  | { type: 'incident:resolved'; incident: IncidentDto }
  | { type: 'online'; count: number }
  | { type: 'select'; conversationId: string | null }
  | { type: 'opened'; detail: ConversationDetail }
  | { type: 'message'; message: MessageDto }
  | { type: 'earlier'; conversationId: string; messages: MessageDto[]; hasEarlier: boolean }
  | { type: 'note'; note: NoteDto }
  | { type: 'typing'; conversationId: string; typing: boolean };

export const initialConsoleState: ConsoleState = {
  connection: 'connecting',
  loaded: false,
  queue: [],
  incidents: [],
  operatorsOnline: null,
  selectedId: null,
  open: null,
};

function openIs(state: ConsoleState, conversationId: string): state is ConsoleState & { open: OpenConversation } {
  return state.open !== null && state.open.item.conversationId === conversationId;
}

function byNewest(a: IncidentDto, b: IncidentDto): number {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt);
}

export function consoleReducer(state: ConsoleState, action: ConsoleAction): ConsoleState {
  switch (action.type) {
    case 'connection':
      return { ...state, connection: action.status };

    case 'queue:loaded':
      return {
        ...state,
        loaded: true,
        queue: sortQueue(action.items),
        incidents: action.incidents.filter((i) => i.status === 'OPEN').sort(byNewest),
      };

    case 'queue:upsert': {
      const { item } = action;
      const queue = upsertQueueItem(state.queue, item);
      const open = openIs(state, item.conversationId) ? { ...state.open, item } : state.open;
      return { ...state, queue, open };
    }

    case 'queue:remove':
      return { ...state, queue: removeQueueItem(state.queue, action.conversationId) };

    case 'incident:opened': {
      const rest = state.incidents.filter((i) => i.id !== action.incident.id);
      const incidents = action.incident.status === 'OPEN' ? [...rest, action.incident].sort(byNewest) : rest;
      return { ...state, incidents };
    }

    case 'incident:resolved':
      return { ...state, incidents: state.incidents.filter((i) => i.id !== action.incident.id) };

    case 'online':
      return { ...state, operatorsOnline: action.count };

    case 'select':
      if (action.conversationId === state.selectedId) return state;
      return { ...state, selectedId: action.conversationId, open: null };

    case 'opened': {
      const { messages, hasEarlier, notes, ...item } = action.detail;
      // An answer for a conversation the operator already left is stale.
      if (item.conversationId !== state.selectedId) return state;
      const same = openIs(state, item.conversationId);
      return {
        ...state,
        open: {
          item,
          messages: mergeMessages(same ? state.open.messages : [], messages),
          notes: mergeNotes(same ? state.open.notes : [], notes),
          // A reopen (reconnect) brings the newest page again: what was loaded before it stays.
          hasEarlier: same && state.open.messages[0] && messages[0] && state.open.messages[0].seq < messages[0].seq ? state.open.hasEarlier : hasEarlier,
          visitorTyping: same && state.open.visitorTyping,
        },
      };
    }

    case 'message': {
      const { message } = action;
      if (!openIs(state, message.conversationId)) return state;
      const visitorTyping = message.author === 'visitor' ? false : state.open.visitorTyping;
      return { ...state, open: { ...state.open, messages: mergeMessages(state.open.messages, [message]), visitorTyping } };
    }

    case 'earlier':
      if (!openIs(state, action.conversationId)) return state;
      return { ...state, open: { ...state.open, messages: mergeMessages(state.open.messages, action.messages), hasEarlier: action.hasEarlier } };

    case 'note': {
      const { note } = action;
      if (!openIs(state, note.conversationId)) return state;
      return { ...state, open: { ...state.open, notes: mergeNotes(state.open.notes, [note]) } };
    }

    case 'typing':
      if (!openIs(state, action.conversationId) || state.open.visitorTyping === action.typing) return state;
      return { ...state, open: { ...state.open, visitorTyping: action.typing } };
  }
}

/** The acks of claim / resolve / hand back carry the conversation's new state: same as a queue event. */
export function itemChanged(item: QueueItem): ConsoleAction {
  return { type: 'queue:upsert', item };
}
