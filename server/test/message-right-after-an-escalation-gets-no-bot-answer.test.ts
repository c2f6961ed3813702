import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, STORAGE_MODES, startTestServer, visitorSocket, waitFor, type TestServer } from './support/test-server.ts';

// A visitor asks for a human and at once writes again, before the first message is decided. The
// second message is decided with the conversation as the first left it — waiting for an operator,
// where the bot answers nothing but an email address and an acknowledgement once per burst (the
// hand-off is one) — not as it was when the second was stored.
describe.each(STORAGE_MODES)('a message sent right after one that escalates (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(() => server?.stop());

  it('gets no ordinary bot answer: the conversation is waiting for an operator by then', async () => {
    const visitor = visitorSocket(server.url);
    try {
      await connected(visitor);
      // The second goes right after the first's ack, which comes before the first is decided.
      const first = await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'позовите оператора, пожалуйста' });
      const second = await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'сколько стоит тариф 500 мегабит?' });
      if (!first.ok || !second.ok) throw new Error('not stored');
      const { store } = server.services;
      await waitFor(async () => (await store.getMessage(second.data.id))?.category);

      expect((await store.getConversation(second.data.conversationId))?.status).toBe('WAITING');
      expect(await store.replyFor(second.data.id)).toBeNull();
      // The only bot message is the handoff reply to the first one (planned, so it goes out).
      expect((await store.replyFor(first.data.id))?.status).not.toBe('CANCELLED');
      const bots = await waitFor(async () => {
        const list = (await store.messagesAfter(second.data.conversationId, 0, 20)).filter((m) => m.author === 'bot');
        return list.length > 0 && list;
      });
      expect(bots.map((m) => m.category)).toEqual([(await store.getMessage(first.data.id))!.category]);
    } finally {
      visitor.disconnect();
    }
  });
});
