import type { MessageDto } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { transcriptFile, type TranscriptSource } from './transcript.ts';

const message = (seq: number, author: MessageDto['author'], text: string, extra: Partial<MessageDto> = {}): MessageDto => ({
  id: `m${seq}`,
  conversationId: 'c1',
  seq,
  author,
  text,
  clientMessageId: null,
  createdAt: `2026-12-01T10:00:0${seq}.000Z`,
  category: null,
  ...extra,
});

const source: TranscriptSource = {
  conversation: {
    conversationId: 'c1',
    siteKey: 'demo',
    siteName: 'СеверНет',
    visitorId: 'v1',
    visitorName: 'Анна',
    visitorEmail: 'anna@example.com',
    status: 'RESOLVED',
    priority: 'NORMAL',
    escalationReason: 'human_request',
    escalatedAt: '2026-12-01T10:00:02.000Z',
  },
  messages: [
    message(1, 'visitor', 'Позовите оператора', { category: 'HUMAN_REQUEST' }),
    message(2, 'bot', 'Соединяю с оператором'),
    message(3, 'operator', 'Здравствуйте!\nЧем помочь?', { operatorName: 'Ольга' }),
  ],
  exportedAt: new Date('2026-12-01T11:00:00.000Z'),
};

describe('transcript', () => {
  it('as JSON carries the conversation, the visitor and every message in order', () => {
    const file = transcriptFile(source, 'json');
    expect(file).toMatchObject({ filename: 'conversation-c1.json', mimeType: 'application/json' });
    const parsed = JSON.parse(file.content);
    expect(parsed).toMatchObject({ conversationId: 'c1', site: { key: 'demo' }, visitor: { name: 'Анна', email: 'anna@example.com' }, status: 'RESOLVED' });
    expect(parsed.messages.map((m: { seq: number; author: string; text: string }) => [m.seq, m.author, m.text])).toEqual([
      [1, 'visitor', 'Позовите оператора'],
      [2, 'bot', 'Соединяю с оператором'],
      [3, 'operator', 'Здравствуйте!\nЧем помочь?'],
    ]);
    expect(parsed.messages[2].operatorName).toBe('Ольга');
  });

  it('as text is one line per message, with who said it and when', () => {
    const file = transcriptFile(source, 'text');
    expect(file.filename).toBe('conversation-c1.txt');
    expect(file.content).toBe(
      [
        'Conversation c1 — СеверНет (demo)',
        'Visitor: Анна <anna@example.com>',
        'Status: RESOLVED (escalated: human_request)',
        'Exported: 2026-12-01 11:00:00 UTC',
        '',
        '[2026-12-01 10:00:01 UTC] Visitor: Позовите оператора',
        '[2026-12-01 10:00:02 UTC] Bot: Соединяю с оператором',
        '[2026-12-01 10:00:03 UTC] Ольга (operator): Здравствуйте!',
        '    Чем помочь?',
        '',
      ].join('\n'),
    );
  });
});
