import { randomUUID } from 'node:crypto';
import type { Ack, MessageDto, SentMessage } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, connected, STORAGE_MODES, startTestServer, visitorSocket, waitFor, type TestServer, type VisitorClient } from './support/test-server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The connection dies under the socket (no Socket.IO goodbye): what a network drop looks like to
 * the server. A clean `socket.disconnect()` right after an emit is no drop — Socket.IO then
 * ignores the event, which is its documented behaviour, not a lost message.
 */
function dropConnection(socket: VisitorClient): void {
  socket.io.engine.close();
}

describe.each(STORAGE_MODES)('a message retried after the socket dropped (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode, { DELAYS_ENABLED: 'true', RESPONSE_DELAY_SECONDS: '0.3', TYPING_MAX_SECONDS: '0.1', PACING_JITTER: '0' });
  });
  afterAll(() => server?.stop());

  /** Every message of the visitor's current conversation, read through the server's own store. */
  async function storedFor(visitorId: string): Promise<MessageDto[]> {
    const { store } = server.services;
    const site = (await store.findSiteByKey('demo'))!;
    const conversation = await store.findCurrentConversation(site.id, visitorId);
    return conversation ? ((await store.messagesAfter(conversation.id, 0, 500)) as MessageDto[]) : [];
  }

  it('is stored once, the retry is acked as a duplicate of it, and it gets one reply', async () => {
    const visitorId = `visitor-${randomUUID()}`;
    const clientMessageId = randomUUID();
    const text = 'Сколько стоит тариф 500 мегабит?';

    // The widget sends, and the connection dies before the ack can come back.
    const first = visitorSocket(server.url, { visitorId });
    await connected(first);
    let firstAcked = false;
    first.emit('message:send', { clientMessageId, text }, () => (firstAcked = true));
    dropConnection(first);
    const [stored] = await waitFor(async () => {
      const messages = await storedFor(visitorId);
      return messages.length > 0 && messages;
    });
    expect(stored).toMatchObject({ seq: 1, author: 'visitor', clientMessageId, text });
    expect(firstAcked).toBe(false);

    // It reconnects and re-sends the unacked message with the same clientMessageId.
    const again = visitorSocket(server.url, { visitorId });
    const live = collect<MessageDto>(again, 'message:new');
    // The reply may be out before the reconnect (a slow machine): then the handshake's history has it.
    const histories = collect<{ messages: MessageDto[] }>(again, 'history');
    const botSeen = () => [...histories.flatMap((h) => h.messages), ...live].filter((m) => m.author === 'bot');
    await connected(again);
    const retry: Ack<SentMessage> = await again.emitWithAck('message:send', { clientMessageId, text });
    expect(retry).toEqual({
      ok: true,
      data: { id: stored!.id, seq: 1, conversationId: stored!.conversationId, createdAt: stored!.createdAt, duplicate: true },
    });

    // One reply, to the one stored message; the retry planned nothing more.
    await waitFor(() => botSeen().length > 0);
    await sleep(1000);
    expect((await storedFor(visitorId)).map((m) => [m.seq, m.author, m.clientMessageId])).toEqual([
      [1, 'visitor', clientMessageId],
      [2, 'bot', null],
    ]);
    expect(live.filter((m) => m.author === 'visitor')).toHaveLength(0); // a duplicate is not announced again
    expect(botSeen()).toHaveLength(1);
    again.disconnect();
  });

  it('is stored once when a later message is retried mid-conversation', async () => {
    const visitorId = `visitor-${randomUUID()}`;
    const socket = visitorSocket(server.url, { visitorId });
    const seen = collect<MessageDto>(socket, 'message:new');
    await connected(socket);
    const opening = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Привет' });
    expect(opening.ok).toBe(true);
    await waitFor(() => seen.find((m) => m.author === 'bot')); // answered, so the next one is no burst

    const clientMessageId = randomUUID();
    const text = 'Не работает интернет, роутер мигает красным';
    socket.emit('message:send', { clientMessageId, text }, () => {});
    dropConnection(socket);
    await waitFor(async () => (await storedFor(visitorId)).some((m) => m.clientMessageId === clientMessageId));

    const again = visitorSocket(server.url, { visitorId });
    await connected(again);
    const retries = await Promise.all([1, 2, 3].map(() => again.emitWithAck('message:send', { clientMessageId, text })));
    for (const retry of retries) expect(retry).toMatchObject({ ok: true, data: { seq: 3, duplicate: true } });

    // The retried message is answered once: wait for that answer, then past its due time for a double.
    const answered = await waitFor(async () => (await storedFor(visitorId)).length >= 4 && storedFor(visitorId));
    const plan = await server.services.store.replyFor(answered.find((m) => m.clientMessageId === clientMessageId)!.id);
    await sleep(Math.max(0, (plan?.dueAt.getTime() ?? 0) - Date.now()) + 800);
    const messages = await storedFor(visitorId);
    expect(messages.filter((m) => m.clientMessageId === clientMessageId)).toHaveLength(1);
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1)); // no gaps, no doubles
    expect(messages.map((m) => m.author)).toEqual(['visitor', 'bot', 'visitor', 'bot']);
    again.disconnect();
  });

  // A first message retried on a new socket while the original is still being stored (a fast
  // reconnect): on Postgres this once failed with internal_error (a non-atomic visitor upsert) or
  // opened two conversations, storing the message in each (fixed in 14142bd).
  it('is stored once when the retry races the original first message', async () => {
    for (let round = 0; round < 5; round++) {
      const visitorId = `visitor-${randomUUID()}`;
      const clientMessageId = randomUUID();
      const text = 'Как поменять пароль от личного кабинета?';
      const sockets = [0, 1, 2].map(() => visitorSocket(server.url, { visitorId }));
      await Promise.all(sockets.map(connected));

      const acks: Ack<SentMessage>[] = await Promise.all(sockets.map((s) => s.emitWithAck('message:send', { clientMessageId, text })));
      expect(acks.map((a) => a.ok)).toEqual([true, true, true]);
      const data = acks.map((a) => (a as { ok: true; data: SentMessage }).data);
      expect(new Set(data.map((d) => d.id)).size).toBe(1);
      expect(data.filter((d) => !d.duplicate)).toHaveLength(1); // exactly one of them stored it
      sockets.forEach((s) => s.disconnect());
    }
  });
});
