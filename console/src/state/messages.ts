import type { MessageDto, NoteDto } from '@support-chat/protocol';

/** One conversation's messages plus incoming ones: one per id (the newer copy wins), ordered by seq. */
export function mergeMessages(current: readonly MessageDto[], incoming: readonly MessageDto[]): MessageDto[] {
  if (incoming.length === 0) return current.slice();
  const byId = new Map<string, MessageDto>();
  for (const m of current) byId.set(m.id, m);
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** Notes plus incoming ones: one per id, oldest first. */
export function mergeNotes(current: readonly NoteDto[], incoming: readonly NoteDto[]): NoteDto[] {
  const byId = new Map<string, NoteDto>();
  for (const n of [...current, ...incoming]) byId.set(n.id, n);
  return [...byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

export type TimelineEntry = { kind: 'message'; message: MessageDto } | { kind: 'note'; note: NoteDto };

/** Messages in seq order with each note placed after the messages sent before it. */
export function timeline(messages: readonly MessageDto[], notes: readonly NoteDto[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let n = 0;
  for (const message of messages) {
    while (n < notes.length && notes[n]!.createdAt < message.createdAt) entries.push({ kind: 'note', note: notes[n++]! });
    entries.push({ kind: 'message', message });
  }
  while (n < notes.length) entries.push({ kind: 'note', note: notes[n++]! });
  return entries;
}
