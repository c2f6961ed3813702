import type { ErrorBody, MessageDto, SentMessage } from '@support-chat/protocol';
import type { Cursor, OutboxEntry } from './storage.ts';

/** Delivery of a visitor message as the visitor sees it. */
export type DeliveryState = 'sending' | 'sent' | 'failed';

/** A row of the message list: a stored message, or a visitor message still in the outbox. */
export interface ChatItem extends MessageDto {
  /** Only on visitor messages. */
  state?: DeliveryState;
  /** Why the server refused a failed message for good (rate limited, invalid), when it said so. */
  refusal?: ErrorBody;
}

/**
 * Order of the conversation: by seq inside one conversation; across conversations (a new one
 * starts after the previous was resolved, seq restarts at 1) by time.
 */
export function compareMessages(a: MessageDto, b: MessageDto): number {
  if (a.conversationId === b.conversationId) return a.seq - b.seq;
  return Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.seq - b.seq;
}

/** Stored messages plus incoming ones: one per id (the newer copy wins), in conversation order. */
export function mergeMessages(current: readonly MessageDto[], incoming: readonly MessageDto[]): MessageDto[] {
  if (incoming.length === 0) return current.slice();
  const byId = new Map<string, MessageDto>();
  for (const m of current) byId.set(m.id, m);
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort(compareMessages);
}

/** The stored form of a visitor message once the server acknowledged it. */
export function acknowledged(entry: OutboxEntry, sent: SentMessage): MessageDto {
  return {
    id: sent.id,
    conversationId: sent.conversationId,
    seq: sent.seq,
    author: 'visitor',
    text: entry.text,
    clientMessageId: entry.clientMessageId,
    createdAt: sent.createdAt,
    category: null,
  };
}

/**
 * What the list shows: stored messages, then outbox entries the server has not stored yet (a
 * stored visitor message with the same clientMessageId replaces its pending copy).
 */
export function buildItems(
  messages: readonly MessageDto[],
  outbox: readonly OutboxEntry[],
  stateOf: (clientMessageId: string) => DeliveryState,
  refusalOf: (clientMessageId: string) => ErrorBody | undefined = () => undefined,
): ChatItem[] {
  const stored = new Set<string>();
  const items: ChatItem[] = messages.map((m) => {
    if (m.author !== 'visitor') return m;
    if (m.clientMessageId) stored.add(m.clientMessageId);
    return { ...m, state: 'sent' };
  });
  const pending = outbox
    .filter((e) => !stored.has(e.clientMessageId))
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  for (const e of pending) {
    items.push({
      id: `local:${e.clientMessageId}`,
      conversationId: '',
      seq: 0,
      author: 'visitor',
      text: e.text,
      clientMessageId: e.clientMessageId,
      createdAt: e.createdAt,
      category: null,
      state: stateOf(e.clientMessageId),
      refusal: refusalOf(e.clientMessageId),
    });
  }
  return items;
}

/**
 * Moves the cursor over messages received one by one (`message:new`, acks): `lastSeq` only
 * passes seqs the widget actually has, so a missed message is fetched again on reconnect.
 * A message of another conversation starts that conversation from 0.
 */
export function advanceCursor(cursor: Cursor, messages: readonly MessageDto[], latest?: MessageDto): Cursor {
  let { conversationId, lastSeq } = cursor;
  if (latest && latest.conversationId && latest.conversationId !== conversationId) {
    conversationId = latest.conversationId;
    lastSeq = 0;
  }
  const seqs = new Set<number>();
  for (const m of messages) if (m.conversationId === conversationId) seqs.add(m.seq);
  while (seqs.has(lastSeq + 1)) lastSeq++;
  return { conversationId, lastSeq };
}

/**
 * After the server answered "everything after N" (`history`, `history:since`), the widget has it
 * all: the cursor moves to the highest seq it holds, gaps or not (a gap the server does not fill
 * is not the visitor's to see).
 */
export function settleCursor(cursor: Cursor, messages: readonly MessageDto[]): Cursor {
  let { lastSeq } = cursor;
  for (const m of messages) if (m.conversationId === cursor.conversationId && m.seq > lastSeq) lastSeq = m.seq;
  return { conversationId: cursor.conversationId, lastSeq };
}

/** True when the widget holds a message past the cursor, i.e. something between was missed. */
export function hasGap(cursor: Cursor, messages: readonly MessageDto[]): boolean {
  return messages.some((m) => m.conversationId === cursor.conversationId && m.seq > cursor.lastSeq);
}
