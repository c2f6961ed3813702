import { randomUUID } from 'node:crypto';
import type { Ack, SentMessage } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, STORAGE_MODES, startTestServer, visitorSocket, waitFor, type TestServer } from './support/test-server.ts';

// Backpressure: while the database is slow, messages wait in order; once more are waiting than
// MAX_QUEUED_MESSAGES, a new one is refused at once with `busy` (the widget re-sends it) instead
// of waiting without bound or timing out deep inside the database pool.
describe.each(STORAGE_MODES)('a burst past the queue bound (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode, { MAX_QUEUED_MESSAGES: '2' });
  });
  afterAll(() => server?.stop());

  it('is told busy past the bound, and everything accepted is stored in order once the database keeps up', async () => {
    const { store } = server.services;
    const receive = store.receiveVisitorMessage.bind(store);
    const held: Array<() => void> = [];
    store.receiveVisitorMessage = (input) => new Promise((resolve, reject) => held.push(() => receive(input).then(resolve, reject)));
    // The store takes 32 messages at once (server.ts storeConcurrency); MAX_QUEUED_MESSAGES more wait.
    const STORING = 32;
    const sockets = Array.from({ length: STORING + 4 }, () => visitorSocket(server.url));
    try {
      await Promise.all(sockets.map(connected));
      const acks: Array<Promise<Ack<SentMessage>>> = [];
      // 32 are being stored (held), 2 wait, the rest are refused.
      for (const socket of sockets) {
        acks.push(socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Сколько стоит тариф?' }));
        if (acks.length <= STORING) await waitFor(() => held.length === acks.length);
      }
      const refused = await Promise.all(acks.slice(STORING + 2));
      expect(refused).toEqual([
        { ok: false, error: { code: 'busy', message: 'The server is busy, please retry in 2 s' } },
        { ok: false, error: { code: 'busy', message: 'The server is busy, please retry in 2 s' } },
      ]);

      // The two that waited run after this, on the real store.
      store.receiveVisitorMessage = receive;
      for (const release of held.splice(0)) release();
      const accepted = await Promise.all(acks.slice(0, STORING + 2));
      expect(accepted.every((a) => a.ok)).toBe(true);
    } finally {
      store.receiveVisitorMessage = receive;
      for (const release of held.splice(0)) release();
      sockets.forEach((s) => s.disconnect());
    }
  });
});
