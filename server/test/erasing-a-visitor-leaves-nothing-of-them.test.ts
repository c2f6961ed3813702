/**
 * A visitor's data from the console: their conversation's transcript exported (JSON and text), then
 * a GDPR-style erase: after `visitor:erase`, nothing of the visitor is left in any
 * table — not their visitor row, conversations, messages (knowledge answers marked wrong included),
 * planned replies, webhook deliveries, nor an audit entry pointing at their conversations. Checked
 * two ways, so a table added later is covered too: every foreign key that references Visitor,
 * Conversation or Message holds none of their ids, and no text or JSON column of any table
 * contains their ids, email or words. Another visitor of the site keeps everything.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEntryDto, TranscriptFile } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYMENT } from './support/knowledge-articles.ts';
import { connected, logInOperator, operatorSocket, STORAGE_MODES, startTestServer, waitFor, type OperatorClient, type TestServer } from './support/test-server.ts';

const ADMIN = { email: 'admin@example.com', password: 'admin password 0123' };
const ERASED = 'ZQX-ERASE-7731';
const KEPT = 'ZQX-KEEP-4419';

interface RestAnswer {
  conversation_id: string;
  message_id: string;
  escalated: boolean;
}

describe.each(STORAGE_MODES)('erasing a visitor (%s)', (mode) => {
  let server: TestServer;
  let platform: Server;
  let hookUrl: string;
  let admin: OperatorClient;

  beforeAll(async () => {
    platform = createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end('ok')));
    await new Promise<void>((r) => platform.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(platform.address() as AddressInfo).port}/hook`;
    server = await startTestServer(mode, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    admin = operatorSocket(server.url, await logInOperator(server.url, ADMIN));
    await connected(admin);
    const saved = await admin.emitWithAck('knowledge:save', PAYMENT);
    if (!saved.ok) throw new Error(saved.error.message);
  }, 120_000);
  afterAll(async () => {
    admin?.disconnect();
    await server?.stop();
    await new Promise<void>((r) => platform?.close(() => r()));
  });

  const ask = async (clientId: string, content: string, n: number): Promise<RestAnswer> => {
    const res = await fetch(`${server.url}/api/messages/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-platform': 'test', 'x-webhook-url': hookUrl },
      body: JSON.stringify({ client_id: clientId, content, client_message_id: `${clientId}-${n}` }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as RestAnswer;
  };
  const ok = async <T,>(event: string, payload: unknown): Promise<T> => {
    const ack = (await (admin.emitWithAck as (e: string, p: unknown) => Promise<{ ok: boolean; data?: T; error?: { message: string } }>)(event, payload));
    if (!ack.ok) throw new Error(`${event}: ${ack.error!.message}`);
    return ack.data!;
  };
  const raw = <T,>(sql: string) => server.prisma.$queryRawUnsafe<T[]>(sql);

  it('leaves nothing of them in any table, and records the erase without naming them', { timeout: 120_000 }, async () => {
    const { prisma } = server;
    // The visitor to erase: a knowledge answer (marked wrong), an escalation, an email left while
    // waiting, an operator's answer, a resolve, then a second conversation. Every reply is webhooked.
    const erasedClient = `client-${ERASED}`;
    const question = await ask(erasedClient, 'как отключить автоплатеж?', 1);
    const bot = await waitFor(async () => (await server.services.store.messagesAfter(question.conversation_id, 0, 10)).find((m) => m.author === 'bot' && m.sources?.length));
    await ok('message:mark-wrong', { conversationId: question.conversation_id, messageId: bot.id, wrong: true });
    expect((await ask(erasedClient, `Позовите оператора, живого человека! ${ERASED}`, 2)).escalated).toBe(true);
    await ask(erasedClient, `мой адрес ${ERASED.toLowerCase()}@example.com`, 3);
    await ok('conversation:claim', { conversationId: question.conversation_id });
    await ok('conversation:reply', { conversationId: question.conversation_id, text: `Отвечаю вам, ${ERASED}`, clientMessageId: 'op-1' });
    await ok('conversation:resolve', { conversationId: question.conversation_id });
    const second = await ask(erasedClient, `Ещё вопрос про тариф ${ERASED}`, 4);
    expect(second.conversation_id).not.toBe(question.conversation_id);
    // Another visitor of the same site, who must keep everything.
    const kept = await ask(`client-${KEPT}`, `Позовите оператора ${KEPT}`, 1);

    const conversationIds = [question.conversation_id, second.conversation_id];
    const visitorId = (await server.services.store.getConversation(second.conversation_id))!.visitorId;
    const messageIds = (await prisma.message.findMany({ where: { conversationId: { in: conversationIds } }, select: { id: true } })).map((m) => m.id);
    // Everything that must go is there before the erase: the checks below can fail.
    await waitFor(async () => (await prisma.webhookDelivery.count({ where: { messageId: { in: messageIds }, status: 'DELIVERED' } })) >= 3);
    // This server's replies are due at once (written with their decisions); a paced one is planned
    // first — one still planned, due in an hour, must go with the visitor too.
    const inAnHour = new Date(Date.now() + 3_600_000);
    await prisma.pendingReply.create({ data: { conversationId: second.conversation_id, text: `Ответ для ${ERASED}`, category: 'GREETING', typingAt: inAnHour, dueAt: inAnHour, inReplyTo: second.message_id } });
    expect(await prisma.pendingReply.count({ where: { conversationId: { in: conversationIds } } })).toBeGreaterThan(0);
    expect(await prisma.message.count({ where: { id: { in: messageIds }, markedWrongAt: { not: null } } })).toBe(1);
    expect((await prisma.visitor.findUniqueOrThrow({ where: { id: visitorId } })).email).toBe(`${ERASED.toLowerCase()}@example.com`);
    expect(await prisma.auditEntry.count({ where: { target: question.conversation_id } })).toBe(2); // claim, resolve

    // Before the erase, the transcript can be exported (what a visitor asking for their data gets).
    const json = await ok<TranscriptFile>('conversation:export', { conversationId: question.conversation_id, format: 'json' });
    expect(json).toMatchObject({ filename: `conversation-${question.conversation_id}.json`, mimeType: 'application/json' });
    const transcript = JSON.parse(json.content) as { visitor: { email: string }; messages: { author: string; text: string }[] };
    expect(transcript.visitor.email).toBe(`${ERASED.toLowerCase()}@example.com`);
    const stored = await server.services.store.messagesAfter(question.conversation_id, 0, 100);
    expect(transcript.messages.map((m) => [m.author, m.text])).toEqual(stored.map((m) => [m.author, m.text]));
    const text = await ok<TranscriptFile>('conversation:export', { conversationId: question.conversation_id, format: 'text' });
    expect(text.content).toContain(`] Admin (operator): Отвечаю вам, ${ERASED}\n`);
    expect(text.content.split('\n').filter((line) => line.startsWith('[')).length).toBe(stored.length);

    const erased = await ok<{ conversations: number; messages: number }>('visitor:erase', { conversationId: second.conversation_id });
    expect(erased).toEqual({ conversations: 2, messages: messageIds.length });

    // 1. Every foreign key that references a visitor, conversation or message holds none of theirs.
    const references = await raw<{ table: string; column: string; referenced: string }>(`
      SELECT kcu.table_name AS "table", kcu.column_name AS "column", ccu.table_name AS "referenced"
      FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
      JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
      WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() AND ccu.table_name IN ('Visitor', 'Conversation', 'Message')`);
    expect(references.map((r) => `${r.table}.${r.column}`)).toEqual(expect.arrayContaining(['Conversation.visitorId', 'Message.conversationId', 'PendingReply.conversationId', 'WebhookDelivery.messageId']));
    const idsOf: Record<string, string[]> = { Visitor: [visitorId], Conversation: conversationIds, Message: messageIds };
    for (const { table, column, referenced } of references) {
      const list = idsOf[referenced]!.map((id) => `'${id}'`).join(', ');
      const n = (await raw<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" IN (${list})`))[0]!.n;
      expect(n, `${table}.${column} still references the erased ${referenced}`).toBe(0);
    }

    // 2. No text, JSON or array column of any table contains their ids, email or words.
    const columns = await raw<{ table: string; column: string }>(`
      SELECT c.table_name AS "table", c.column_name AS "column" FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = current_schema() AND c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`);
    const count = async (needle: string) => {
      let found = 0;
      for (const { table, column } of columns) {
        found += (await raw<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE "${column}"::text ILIKE '%${needle}%'`))[0]!.n;
      }
      return found;
    };
    for (const needle of [ERASED, visitorId, ...conversationIds, ...messageIds]) expect(await count(needle), `"${needle}" is still stored`).toBe(0);
    // The other visitor keeps everything (and the scan does find stored words).
    expect(await count(KEPT)).toBeGreaterThan(0);
    expect(await server.services.store.getConversation(kept.conversation_id)).not.toBeNull();

    // The audit log says who erased how much; the claim and resolve stay, pointing at nothing.
    const { entries } = await ok<{ entries: AuditEntryDto[] }>('audit:list', { siteKey: 'demo' });
    expect(entries[0]).toMatchObject({ action: 'visitor.erase', operatorName: 'Admin', target: null, detail: { conversations: 2, messages: messageIds.length } });
    expect(entries.filter((e) => e.action === 'conversation.claim' || e.action === 'conversation.resolve').map((e) => [e.action, e.target])).toEqual([
      ['conversation.resolve', null],
      ['conversation.claim', null],
    ]);
    // Its conversations are gone for the console too.
    const reopened = await admin.emitWithAck('conversation:open', { conversationId: question.conversation_id });
    expect(reopened.ok ? null : reopened.error.code).toBe('not_found');
  });
});
