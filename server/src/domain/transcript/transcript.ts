/**
 * A conversation's transcript as a file: JSON (every field a tool may want) or plain text (one
 * line per message, readable in any editor). Pure: the service gathers the conversation.
 */
import type { MessageDto, QueueItem, TranscriptFile, TranscriptFormat } from '@support-chat/protocol';

export interface TranscriptSource {
  conversation: Pick<QueueItem, 'conversationId' | 'siteKey' | 'siteName' | 'visitorId' | 'visitorName' | 'visitorEmail' | 'status' | 'priority' | 'escalationReason' | 'escalatedAt'>;
  messages: readonly MessageDto[];
  exportedAt: Date;
}

const AUTHOR: Record<MessageDto['author'], string> = { visitor: 'Visitor', bot: 'Bot', operator: 'Operator', system: 'System' };

export function transcriptFile(source: TranscriptSource, format: TranscriptFormat): TranscriptFile {
  const base = `conversation-${source.conversation.conversationId}`;
  return format === 'json'
    ? { filename: `${base}.json`, mimeType: 'application/json', content: `${JSON.stringify(transcriptJson(source), null, 2)}\n` }
    : { filename: `${base}.txt`, mimeType: 'text/plain; charset=utf-8', content: transcriptText(source) };
}

function transcriptJson({ conversation: c, messages, exportedAt }: TranscriptSource) {
  return {
    conversationId: c.conversationId,
    site: { key: c.siteKey, name: c.siteName },
    visitor: { id: c.visitorId, name: c.visitorName, email: c.visitorEmail },
    status: c.status,
    priority: c.priority,
    escalationReason: c.escalationReason,
    escalatedAt: c.escalatedAt,
    exportedAt: exportedAt.toISOString(),
    messages: messages.map((m) => ({
      seq: m.seq,
      createdAt: m.createdAt,
      author: m.author,
      operatorName: m.author === 'operator' ? (m.operatorName ?? null) : undefined,
      text: m.text,
      category: m.category,
      sources: m.sources?.length ? m.sources : undefined,
    })),
  };
}

function transcriptText({ conversation: c, messages, exportedAt }: TranscriptSource): string {
  const visitor = [c.visitorName, c.visitorEmail && `<${c.visitorEmail}>`].filter(Boolean).join(' ') || c.visitorId;
  const head = [
    `Conversation ${c.conversationId} — ${c.siteName} (${c.siteKey})`,
    `Visitor: ${visitor}`,
    `Status: ${c.status}${c.escalationReason ? ` (escalated: ${c.escalationReason})` : ''}`,
    `Exported: ${stamp(exportedAt.toISOString())}`,
    '',
  ];
  const lines = messages.map((m) => {
    const who = m.author === 'operator' && m.operatorName ? `${m.operatorName} (operator)` : AUTHOR[m.author];
    // Continuation lines are indented, so every message starts at the left margin.
    return `[${stamp(m.createdAt)}] ${who}: ${m.text.replace(/\r?\n/g, '\n    ')}`;
  });
  return `${[...head, ...lines].join('\n')}\n`;
}

/** `2026-12-01T10:00:05.123Z` → `2026-12-01 10:00:05 UTC`. */
const stamp = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
