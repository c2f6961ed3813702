import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_MODES, startTestServer, type TestServer } from './support/test-server.ts';

// A visitor's first messages can arrive together (two tabs, a REST platform sending in
// parallel, a retry racing its original). Each is stored in one statement; the database keeps
// one open conversation per visitor, so they all land in it, with distinct sequence numbers.
describe.each(STORAGE_MODES)('first messages of one visitor arriving at once (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(() => server?.stop());

  it('open one conversation and are all stored in it, each once, with seqs 1..n', async () => {
    const { chat, store } = server.services;
    const site = (await store.findSiteByKey('demo'))!;
    const visitorExternalId = `race-${randomUUID()}`;
    const ids = Array.from({ length: 12 }, () => randomUUID());
    // Every message twice (a retry racing its original).
    const stored = await Promise.all(
      [...ids, ...ids].map((clientMessageId, i) =>
        chat.store({ site, visitorExternalId, text: `сообщение ${i % ids.length}`, clientMessageId, channel: 'REST' }),
      ),
    );
    const conversations = new Set(stored.map((s) => s.conversationId));
    expect(conversations.size).toBe(1);
    const [conversationId] = conversations;
    const messages = await store.messagesAfter(conversationId!, 0, 100);
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
    expect(new Set(messages.map((m) => m.clientMessageId))).toEqual(new Set(ids));
    expect(stored.filter((s) => s.duplicate)).toHaveLength(ids.length);
  });

  it('messages of one conversation racing from every writer get distinct, gapless seqs', async () => {
    const { chat, store } = server.services;
    const site = (await store.findSiteByKey('demo'))!;
    const first = await chat.store({ site, visitorExternalId: `writers-${randomUUID()}`, text: 'привет', clientMessageId: randomUUID(), channel: 'WIDGET' });
    const { conversationId } = first;
    await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => store.appendVisitorMessage(conversationId, { text: `ещё ${i}`, clientMessageId: randomUUID() }, 12)),
      ...Array.from({ length: 8 }, (_, i) => store.appendMessage(conversationId, { author: 'system', text: `система ${i}` })),
    ]);
    const messages = await store.messagesAfter(conversationId, 0, 100);
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
  });

  // A bot reply's delivery locks the conversation row; a visitor message's insert checks its
  // foreign key against that row. Racing for one seq, they once deadlocked (40P01) under load.
  it('replies being delivered and visitor messages racing in one conversation all land, without a deadlock', async () => {
    const { chat, store } = server.services;
    const db = store['db'];
    const site = (await store.findSiteByKey('demo'))!;
    for (let round = 0; round < 30; round++) {
      const first = await chat.store({ site, visitorExternalId: `deliveries-${randomUUID()}`, text: 'привет', clientMessageId: randomUUID(), channel: 'WIDGET' });
      const { conversationId } = first;
      const now = new Date();
      const replies = await Promise.all(
        Array.from({ length: 3 }, (_, i) => db.pendingReply.create({ data: { conversationId, text: `ответ ${i}`, category: 'GREETING', typingAt: now, dueAt: now } })),
      );
      const results = await Promise.allSettled([
        ...replies.map((r) => store.deliverReply(r.id, new Date())),
        ...Array.from({ length: 3 }, (_, i) => store.appendVisitorMessage(conversationId, { text: `ещё ${i}`, clientMessageId: randomUUID() }, 12)),
      ]);
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const messages = await store.messagesAfter(conversationId, 0, 100);
      expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: messages.length }, (_, i) => i + 1));
      expect(messages.filter((m) => m.author === 'visitor')).toHaveLength(4);
    }
  });

  it('after the conversation is resolved, the next message opens a new one', async () => {
    const { chat, store } = server.services;
    const site = (await store.findSiteByKey('demo'))!;
    const visitorExternalId = `resolved-${randomUUID()}`;
    const first = await chat.store({ site, visitorExternalId, text: 'привет', clientMessageId: randomUUID(), channel: 'REST' });
    expect(await store.resolve(first.conversationId, new Date())).not.toBeNull();
    const next = await Promise.all([1, 2, 3].map((n) => chat.store({ site, visitorExternalId, text: `снова ${n}`, clientMessageId: randomUUID(), channel: 'REST' })));
    expect(new Set(next.map((s) => s.conversationId)).size).toBe(1);
    expect(next[0]!.conversationId).not.toBe(first.conversationId);
    expect(next.map((s) => s.message.seq).sort()).toEqual([1, 2, 3]);
  });
});
