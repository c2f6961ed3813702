import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_MODES, startTestServer, type TestServer } from './support/test-server.ts';

// With no pacing (delays off here; an escalation's handoff always) a reply is due the moment it
// is decided. Nothing is planned then: the decision's statement writes the bot message itself,
// naming the visitor message it answers, so a retry of that message gets the same answer back.
describe.each(STORAGE_MODES)('a reply due at once is written with its decision (%s)', (mode) => {
  let server: TestServer;
  const post = (clientId: string, content: string, clientMessageId: string) =>
    fetch(`${server.url}/api/messages/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-site-key': 'demo', 'x-platform': 'test' },
      body: JSON.stringify({ client_id: clientId, content, client_message_id: clientMessageId }),
    });

  beforeAll(async () => {
    server = await startTestServer(mode, { DELAYS_ENABLED: 'false' });
  });
  afterAll(() => server?.stop());

  it('as the bot message answering it, with no plan left behind, and a retry gets the same answer', async () => {
    const clientId = `at-once-${randomUUID()}`;
    const clientMessageId = randomUUID();
    const first = (await (await post(clientId, 'Сколько стоит тариф 500 мегабит?', clientMessageId)).json()) as {
      message_id: string;
      conversation_id: string;
      response: { text: string } | null;
    };
    expect(first.response?.text).toBeTruthy();

    const { store } = server.services;
    const bot = (await store.messagesAfter(first.conversation_id, 0, 10)).filter((m) => m.author === 'bot');
    expect(bot.map((m) => m.text)).toEqual([first.response!.text]);
    const db = store['db'];
    expect(await db.pendingReply.count({ where: { conversationId: first.conversation_id } })).toBe(0);
    expect(await db.message.findUnique({ where: { id: bot[0]!.id }, select: { inReplyTo: true } })).toEqual({ inReplyTo: first.message_id });

    const retry = (await (await post(clientId, 'Сколько стоит тариф 500 мегабит?', clientMessageId)).json()) as typeof first & { duplicate: boolean };
    expect(retry).toMatchObject({ message_id: first.message_id, duplicate: true, response: { text: first.response!.text } });
    expect((await store.messagesAfter(first.conversation_id, 0, 10)).filter((m) => m.author === 'bot')).toHaveLength(1);
  });
});
