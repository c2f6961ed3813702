import type { ConversationDetail, IncidentDto, MessageDto } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { consoleReducer, initialConsoleState, type ConsoleAction, type ConsoleState } from './console-state.ts';
import { queueItem } from './test-fixtures.ts';

function message(conversationId: string, seq: number, over: Partial<MessageDto> = {}): MessageDto {
  return {
    id: `${conversationId}-m${seq}`,
    conversationId,
    seq,
    author: 'visitor',
    text: `message ${seq}`,
    clientMessageId: null,
    createdAt: new Date(Date.UTC(2026, 0, 1, 10, seq)).toISOString(),
    category: null,
    ...over,
  };
}

function detail(conversationId: string, messages: MessageDto[]): ConversationDetail {
  return { ...queueItem({ conversationId }), messages, hasEarlier: false, notes: [] };
}

function incident(id: string, createdAt = '2026-01-01T10:00:00.000Z'): IncidentDto {
  return { id, siteKey: 'demo', kind: 'MASS_OUTAGE', status: 'OPEN', createdAt, linkedConversations: 3 };
}

const run = (...actions: ConsoleAction[]): ConsoleState => actions.reduce(consoleReducer, initialConsoleState);

describe('console state', () => {
  it('shows the history of the opened conversation and appends live messages once each, by seq', () => {
    const state = run(
      { type: 'select', conversationId: 'c1' },
      { type: 'opened', detail: detail('c1', [message('c1', 1), message('c1', 2)]) },
      { type: 'message', message: message('c1', 4) },
      { type: 'message', message: message('c1', 3) },
      { type: 'message', message: message('c1', 4) },
    );
    expect(state.open?.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('load earlier puts the older page before the newest one, and a reconnect re-open keeps it', () => {
    const newest = { ...detail('c1', [message('c1', 51), message('c1', 52)]), hasEarlier: true };
    const loaded = run(
      { type: 'select', conversationId: 'c1' },
      { type: 'opened', detail: newest },
      { type: 'earlier', conversationId: 'c1', messages: [message('c1', 49), message('c1', 50)], hasEarlier: false },
    );
    expect(loaded.open?.messages.map((m) => m.seq)).toEqual([49, 50, 51, 52]);
    expect(loaded.open?.hasEarlier).toBe(false);
    const reopened = consoleReducer(loaded, { type: 'opened', detail: newest });
    expect(reopened.open?.messages.map((m) => m.seq)).toEqual([49, 50, 51, 52]);
    expect(reopened.open?.hasEarlier).toBe(false);
  });

  it('ignores messages of other conversations the socket still watches', () => {
    const state = run(
      { type: 'select', conversationId: 'c1' },
      { type: 'opened', detail: detail('c1', [message('c1', 1)]) },
      { type: 'message', message: message('c2', 7) },
    );
    expect(state.open?.messages).toHaveLength(1);
  });

  it('drops a late open answer for a conversation the operator already left', () => {
    const state = run(
      { type: 'select', conversationId: 'c1' },
      { type: 'select', conversationId: 'c2' },
      { type: 'opened', detail: detail('c1', [message('c1', 1)]) },
    );
    expect(state.selectedId).toBe('c2');
    expect(state.open).toBeNull();
  });

  it('keeps live messages that arrived before a re-open answer', () => {
    const state = run(
      { type: 'select', conversationId: 'c1' },
      { type: 'opened', detail: detail('c1', [message('c1', 1)]) },
      { type: 'message', message: message('c1', 3) },
      { type: 'opened', detail: detail('c1', [message('c1', 1), message('c1', 2)]) },
    );
    expect(state.open?.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('a queue upsert of the open conversation updates its header (owner, status)', () => {
    const state = run(
      { type: 'select', conversationId: 'c1' },
      { type: 'opened', detail: detail('c1', []) },
      { type: 'queue:upsert', item: queueItem({ conversationId: 'c1', status: 'OPERATOR', ownerId: 'op1', ownerName: 'Anna' }) },
    );
    expect(state.open?.item).toMatchObject({ status: 'OPERATOR', ownerName: 'Anna' });
    expect(state.queue.map((q) => q.ownerName)).toEqual(['Anna']);
  });

  it('visitor typing shows for the open conversation and ends with the visitor message', () => {
    const typing = run(
      { type: 'select', conversationId: 'c1' },
      { type: 'opened', detail: detail('c1', []) },
      { type: 'typing', conversationId: 'c1', typing: true },
      { type: 'typing', conversationId: 'c2', typing: false },
    );
    expect(typing.open?.visitorTyping).toBe(true);
    expect(consoleReducer(typing, { type: 'message', message: message('c1', 1) }).open?.visitorTyping).toBe(false);
    expect(consoleReducer(typing, { type: 'message', message: message('c1', 1, { author: 'bot' }) }).open?.visitorTyping).toBe(true);
  });

  it('keeps open incidents newest first and drops resolved ones', () => {
    const state = run(
      { type: 'queue:loaded', items: [], incidents: [incident('i1', '2026-01-01T09:00:00.000Z')] },
      { type: 'incident:opened', incident: incident('i2', '2026-01-01T11:00:00.000Z') },
      { type: 'incident:opened', incident: incident('i2', '2026-01-01T11:00:00.000Z') },
    );
    expect(state.incidents.map((i) => i.id)).toEqual(['i2', 'i1']);
    expect(consoleReducer(state, { type: 'incident:resolved', incident: { ...incident('i1'), status: 'RESOLVED' } }).incidents.map((i) => i.id)).toEqual(['i2']);
  });

  it('a reconnect list replaces the queue', () => {
    const state = run(
      { type: 'queue:loaded', items: [queueItem({ conversationId: 'a' })], incidents: [] },
      { type: 'queue:loaded', items: [queueItem({ conversationId: 'b' })], incidents: [] },
    );
    expect(state.loaded).toBe(true);
    expect(state.queue.map((q) => q.conversationId)).toEqual(['b']);
  });
});
