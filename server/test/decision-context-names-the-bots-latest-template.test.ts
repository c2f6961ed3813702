import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_MODES, startTestServer, type TestServer } from './support/test-server.ts';

// A decision avoids repeating the template variant the bot used last, delivered or still planned.
// Every statement that hands a decision its context (the first message's intake, a later
// message's append, the recovery's re-read) must name the same one: the latest of the bot's
// delivered messages and its pending replies, however long the conversation has grown.
describe.each(STORAGE_MODES)("the decision context names the bot's latest template (%s)", (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(() => server?.stop());

  it('from every statement that reads it: delivered replies by their order, a pending reply once it is newer', async () => {
    const { store } = server.services;
    const db = store['db'];
    const site = (await store.findSiteByKey('demo'))!;
    const visitorExternalId = `templates-${randomUUID()}`;
    const incoming = (text: string) => ({ siteId: site.id, visitorExternalId, channel: 'REST' as const, text, clientMessageId: randomUUID() });

    // The test's visitor messages are marked decided as soon as they are stored: left undecided,
    // the server's recovery sweep would decide any older than 5 s (a loaded machine gets there)
    // and cancel the replies the test plans.
    const decided = async <T extends { message: { id: string } } | null>(stored: Promise<T>): Promise<T> => {
      const result = await stored;
      if (result) await db.message.update({ where: { id: result.message.id }, data: { category: 'QUESTION' } });
      return result;
    };
    const first = await decided(store.receiveVisitorMessage(incoming('привет')));
    expect(first.context?.lastBotTemplateKey).toBeNull();
    const conversationId = first.message.conversationId;

    // A conversation longer than any history a decision reads, with the bot's replies among it.
    const deliver = async (templateKey: string, at: Date) => {
      const reply = await db.pendingReply.create({ data: { conversationId, text: templateKey, category: 'GREETING', templateKey, typingAt: at, dueAt: at, createdAt: at } });
      expect(await store.deliverReply(reply.id, at)).not.toBeNull();
    };
    const base = Date.now();
    for (let i = 0; i < 20; i++) {
      await decided(store.appendVisitorMessage(conversationId, { text: `вопрос ${i}`, clientMessageId: randomUUID() }, 3));
      await deliver(`greeting.${i}`, new Date(base + i * 1000));
    }
    await decided(store.appendVisitorMessage(conversationId, { text: 'и ещё', clientMessageId: randomUUID() }, 3));

    const appended = await decided(store.appendVisitorMessage(conversationId, { text: 'спасибо', clientMessageId: randomUUID() }, 3));
    expect(appended?.context?.lastBotTemplateKey).toBe('greeting.19');
    const intake = await decided(store.receiveVisitorMessage(incoming('а ещё')));
    expect(intake.context?.lastBotTemplateKey).toBe('greeting.19');
    const reread = await store.decisionContext(conversationId, intake.message.id, 3);
    expect(reread?.lastBotTemplateKey).toBe('greeting.19');

    // A planned reply newer than the last delivered one is what the bot says next.
    const planned = new Date(base + 60_000);
    await db.pendingReply.create({ data: { conversationId, text: 'p', category: 'THANKS', templateKey: 'thanks.2', typingAt: planned, dueAt: planned, createdAt: planned } });
    const withPending = await decided(store.appendVisitorMessage(conversationId, { text: 'ок', clientMessageId: randomUUID() }, 3));
    expect(withPending?.context?.lastBotTemplateKey).toBe('thanks.2');
    expect((await decided(store.receiveVisitorMessage(incoming('ок?')))).context?.lastBotTemplateKey).toBe('thanks.2');
    expect((await store.decisionContext(conversationId, withPending!.message.id, 3))?.lastBotTemplateKey).toBe('thanks.2');
  });
});
