import type { MessageDto, NoteDto } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { mergeNotes, timeline } from './messages.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute)).toISOString();
const message = (seq: number, minute: number): MessageDto => ({
  id: `m${seq}`,
  conversationId: 'c1',
  seq,
  author: 'visitor',
  text: `message ${seq}`,
  clientMessageId: null,
  createdAt: at(minute),
  category: null,
});
const note = (id: string, minute: number): NoteDto => ({ id, conversationId: 'c1', text: `note ${id}`, operatorId: 'op', operatorName: 'Anna', createdAt: at(minute) });

describe('timeline', () => {
  it('places each note after the messages written before it', () => {
    const entries = timeline([message(1, 1), message(2, 3), message(3, 5)], [note('a', 2), note('b', 6)]);
    expect(entries.map((e) => (e.kind === 'message' ? e.message.id : e.note.id))).toEqual(['m1', 'a', 'm2', 'm3', 'b']);
  });

  it('keeps one copy of a note that arrives both live and in the history, oldest first', () => {
    expect(mergeNotes([note('b', 6)], [note('a', 2), note('b', 6)]).map((n) => n.id)).toEqual(['a', 'b']);
  });
});
