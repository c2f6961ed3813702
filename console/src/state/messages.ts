import type { MessageDto } from '@support-chat/protocol';

/** One conversation's messages plus incoming ones: one per id (the newer copy wins), ordered by seq. */
export function mergeMessages(current: readonly MessageDto[], incoming: readonly MessageDto[]): MessageDto[] {
  if (incoming.length === 0) return current.slice();
  const byId = new Map<string, MessageDto>();
  for (const m of current) byId.set(m.id, m);
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}
