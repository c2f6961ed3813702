import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaStore } from '../src/adapters/db/prisma-store.ts';
import type { Statements } from '../src/adapters/db/statements.ts';
import { countingStore } from './support/counting-store.ts';
import { STORAGE_MODES, startTestServer, type TestServer } from './support/test-server.ts';

// Visitor messages of many conversations that arrive together are written by one statement
// (statement-batches.ts). Each must come back as it would alone: its conversation's next seq, in
// the order its visitor sent it, a retry as the stored message, a resolved conversation as null.
describe.each(STORAGE_MODES)('visitor messages stored together (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(() => server?.stop());

  const counting = () => countingStore(server);

  it('open new visitors their conversations, return a retry as stored and make a REST platform\'s new chat the current one, in a few statements', async () => {
    const { store, counter, db } = counting();
    const site = (await store.findSiteByKey('demo'))!;
    const restVisitor = `together-rest-${randomUUID()}`;
    const rest = (text: string, clientMessageId: string, chatId: string) =>
      store.receiveVisitorMessage({ siteId: site.id, visitorExternalId: restVisitor, channel: 'REST', text, clientMessageId, platform: 'shop', chatId, webhookUrl: null }, 12);
    const stored = await rest('привет', randomUUID(), 'chat-1');

    counter.statements = 0;
    const visitors = Array.from({ length: 12 }, (_, i) => `together-new-${i}-${randomUUID()}`);
    const firsts = visitors.map((visitorExternalId, i) =>
      store.receiveVisitorMessage({ siteId: site.id, visitorExternalId, channel: 'WIDGET', text: `первое ${i}`, clientMessageId: randomUUID(), locale: 'ru' }, 12),
    );
    const retry = rest('привет', stored.message.clientMessageId!, 'chat-1');
    const moved = rest('я теперь в другом чате', randomUUID(), 'chat-2');
    const [first, again, next] = await Promise.all([Promise.all(firsts), retry, moved]);

    first.forEach((received, i) => {
      expect(received).toMatchObject({ duplicate: false, message: { seq: 1, text: `первое ${i}` } });
      expect(received.context!.conversation).toMatchObject({ id: received.message.conversationId, visitorExternalId: visitors[i], status: 'BOT', channel: 'WIDGET' });
      expect(received.context!.history.map((m) => m.text)).toEqual([`первое ${i}`]);
      expect(received.context!.visitorHadEarlierConversation).toBe(false);
    });
    expect(new Set(first.map((r) => r.message.conversationId)).size).toBe(12);
    expect(again).toMatchObject({ duplicate: true, message: { id: stored.message.id } });
    expect(next).toMatchObject({ duplicate: false, message: { conversationId: stored.message.conversationId, seq: 2 } });
    expect(next.context!.conversation.chatId).toBe('chat-2');
    expect(await db.conversation.findUnique({ where: { id: stored.message.conversationId }, select: { chatId: true } })).toEqual({ chatId: 'chat-2' });
    // 14 messages: the first ones and the retry together, the retry's own attempt, the REST follow-up.
    expect(counter.statements).toBeLessThanOrEqual(5);
  });

  it('take each conversation its next seqs in order, return a retry as stored and a resolved conversation as null, in a few statements', async () => {
    const shared = server.services.store;
    let statements = 0;
    const inner = shared['sql'] as Statements;
    const counted: Statements = { rows: (statement) => (statements++, inner.rows(statement)) };
    const store = new PrismaStore(shared['db'], counted);
    const site = (await store.findSiteByKey('demo'))!;

    const opened = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        store.receiveVisitorMessage({ siteId: site.id, visitorExternalId: `together-${i}-${randomUUID()}`, channel: 'WIDGET', text: 'привет', clientMessageId: randomUUID() }, 12),
      ),
    );
    const conversations = opened.map((o) => o.message.conversationId);
    const retried = opened[0]!.message;
    const closed = await store.receiveVisitorMessage({ siteId: site.id, visitorExternalId: `together-closed-${randomUUID()}`, channel: 'WIDGET', text: 'привет', clientMessageId: randomUUID() }, 12);
    expect(await store.resolve(closed.message.conversationId, new Date())).not.toBeNull();

    statements = 0;
    // All in one tick: two messages per conversation, a retry of a stored one, one to a resolved conversation.
    const firsts = conversations.map((id, i) => store.appendVisitorMessage(id, { text: `первое ${i}`, clientMessageId: randomUUID() }, 12));
    const seconds = conversations.map((id, i) => store.appendVisitorMessage(id, { text: `второе ${i}`, clientMessageId: randomUUID() }, 12));
    const retry = store.appendVisitorMessage(retried.conversationId, { text: 'привет', clientMessageId: retried.clientMessageId }, 12);
    const toClosed = store.appendVisitorMessage(closed.message.conversationId, { text: 'ещё', clientMessageId: randomUUID() }, 12);
    const [first, second, again, none] = await Promise.all([Promise.all(firsts), Promise.all(seconds), retry, toClosed]);

    conversations.forEach((id, i) => {
      expect(first[i]).toMatchObject({ duplicate: false, message: { conversationId: id, seq: 2, text: `первое ${i}` } });
      expect(second[i]).toMatchObject({ duplicate: false, message: { conversationId: id, seq: 3, text: `второе ${i}` } });
      // The second message's decision reads the first one (written before it, never beside it).
      expect(second[i]!.context!.history.map((m) => m.text)).toEqual(['привет', `первое ${i}`, `второе ${i}`]);
      expect(second[i]!.context!.conversation.id).toBe(id);
    });
    expect(again).toMatchObject({ duplicate: true, message: { id: retried.id, seq: 1 } });
    expect(none).toBeNull();
    // 26 messages: the firsts together, the seconds together, and the retry's own attempt.
    expect(statements).toBeLessThanOrEqual(6);

    const stored = await shared['db'].message.findMany({ where: { conversationId: { in: conversations } }, select: { conversationId: true, seq: true } });
    expect(stored).toHaveLength(conversations.length * 3);
  });
});
