import { randomUUID } from 'node:crypto';
import type { MessageDto, VisitorSession } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, connected, nextEvent, STORAGE_MODES, startTestServer, visitorSocket, waitFor, type TestServer } from './support/test-server.ts';

/** The demo site's page, an allowed origin. */
const PAGE = { origin: 'http://localhost:3000' };
const SECRET = 'Договор 555-777, паспорт 4510 123456, вышлите копию';

describe.each(STORAGE_MODES)('REST and widget identities are separate (%s)', (mode) => {
  let server: TestServer;
  const post = (clientId: string, content: string) =>
    fetch(`${server.url}/api/messages/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-platform': 'telegram' },
      body: JSON.stringify({ client_id: clientId, content }),
    });

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(() => server?.stop());

  it('gives a widget visitor named like a REST client_id none of that REST conversation', async () => {
    const clientId = `shared-${randomUUID()}`;
    const rest = await (await post(clientId, SECRET)).json();
    const restConversation = rest.conversation_id as string;
    expect((await server.services.store.getConversation(restConversation))?.visitorExternalId).toBe(`rest:telegram:${clientId}`);

    // The widget even names the REST conversation as the one it knows.
    const widget = visitorSocket(server.url, { visitorId: clientId, conversationId: restConversation, lastSeq: 0 }, PAGE);
    const seen = collect<MessageDto>(widget, 'message:new');
    const session = nextEvent<VisitorSession>(widget, 'session');
    const history = nextEvent<{ messages: MessageDto[] }>(widget, 'history');
    try {
      await connected(widget);
      expect((await session).conversationId).toBeNull();
      expect((await history).messages).toEqual([]);

      // More REST traffic, answered by the bot, while the widget is connected…
      await post(clientId, 'Интернет не работает с утра');
      await waitFor(async () => (await server.services.store.messagesAfter(restConversation, 0, 50)).filter((m) => m.author === 'bot').length >= 2, 20_000);
      // …then the widget's own exchange: its conversation is a new one, and the REST one is untouched.
      const sent = await widget.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Привет' });
      expect(sent.ok).toBe(true);
      if (!sent.ok) return;
      expect(sent.data.conversationId).not.toBe(restConversation);
      await waitFor(() => seen.some((m) => m.author === 'bot' && m.conversationId === sent.data.conversationId), 20_000);

      expect(seen.filter((m) => m.conversationId === restConversation)).toEqual([]);
      expect(JSON.stringify(seen)).not.toContain('555-777');
      const restTexts = (await server.services.store.messagesAfter(restConversation, 0, 50)).filter((m) => m.author === 'visitor').map((m) => m.text);
      expect(restTexts).toEqual([SECRET, 'Интернет не работает с утра']);
    } finally {
      widget.disconnect();
    }
  });

  it('refuses a widget handshake that names a REST identity', async () => {
    const clientId = `named-${randomUUID()}`;
    await post(clientId, SECRET);
    for (const visitorId of [`rest:telegram:${clientId}`, `rest:api:${clientId}`]) {
      const widget = visitorSocket(server.url, { visitorId }, PAGE);
      try {
        await expect(connected(widget)).rejects.toThrow(/invalid_handshake: visitorId has invalid characters/);
      } finally {
        widget.disconnect();
      }
    }
  });
});
