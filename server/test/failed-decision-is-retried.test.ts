import { randomUUID } from 'node:crypto';
import type { MessageDto } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, connected, STORAGE_MODES, startTestServer, visitorSocket, waitFor, type TestServer } from './support/test-server.ts';

// Under load a decision can fail (a transaction-start timeout, a connection dropped). The
// message is stored and acked already, so the server must try again — not log and forget.
describe.each(STORAGE_MODES)('a decision that fails once (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(() => server?.stop());

  it('is retried, and the visitor gets exactly one reply', async () => {
    const { store } = server.services;
    const applyDecision = store.applyDecision.bind(store);
    let attempts = 0;
    store.applyDecision = async (decision) => {
      attempts++;
      if (attempts === 1) throw new Error('Transaction API error: Unable to start a transaction in the given time.');
      return applyDecision(decision);
    };
    const visitor = visitorSocket(server.url);
    const live = collect<MessageDto>(visitor, 'message:new');
    try {
      await connected(visitor);
      const sent = await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Сколько стоит тариф 500 мегабит?' });
      if (!sent.ok) throw new Error(sent.error.message);
      await waitFor(() => live.find((m) => m.author === 'bot'), 15_000);
      expect(attempts).toBe(2);
      expect((await store.getMessage(sent.data.id))?.category).toBe('BILLING');
      const stored = await store.messagesAfter(sent.data.conversationId, 0, 10);
      expect(stored.map((m) => m.author)).toEqual(['visitor', 'bot']);
    } finally {
      store.applyDecision = applyDecision;
      visitor.disconnect();
    }
  });
});
