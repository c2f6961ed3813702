import { randomUUID } from 'node:crypto';
import type { Ack, MessageDto, SentMessage, VisitorSession } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, connected, nextEvent, STORAGE_MODES, startTestServer, visitorSocket, waitFor, type TestServer } from './support/test-server.ts';

describe.each(STORAGE_MODES)('visitor over Socket.IO (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    // A short real delay, so the typing indicator has a phase to show.
    server = await startTestServer(mode, { DELAYS_ENABLED: 'true', RESPONSE_DELAY_SECONDS: '0.3', TYPING_MAX_SECONDS: '0.2', PACING_JITTER: '0' });
  });
  afterAll(() => server?.stop());

  it('stores, acks, shows typing, then replies with a template; history survives a reconnect', async () => {
    const visitorId = `visitor-${randomUUID()}`;
    const socket = visitorSocket(server.url, { visitorId });
    const session = nextEvent<VisitorSession>(socket, 'session');
    await connected(socket);
    expect((await session).conversationId).toBeNull();

    const typing = collect<{ author: string; typing: boolean }>(socket, 'typing');
    const replies = collect<MessageDto>(socket, 'message:new');
    const sentAt = Date.now();
    const ack: Ack<SentMessage> = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Привет' });
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.data.seq).toBe(1);
    expect(ack.data.duplicate).toBe(false);

    const reply = await waitFor(() => replies.find((m) => m.author === 'bot'));
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(250); // paced, not instant
    expect(reply.seq).toBe(2);
    expect(reply.text).toMatch(/Здравствуйте|Добрый день|Привет/);
    expect(typing[0]).toEqual({ author: 'bot', typing: true });
    expect(typing.at(-1)).toEqual({ author: 'bot', typing: false });
    socket.disconnect();

    // Reconnect as the same visitor, having shown nothing: the whole conversation comes back.
    const again = visitorSocket(server.url, { visitorId });
    const history = nextEvent<{ messages: MessageDto[] }>(again, 'history');
    await connected(again);
    expect((await history).messages.map((m) => [m.seq, m.author, m.text])).toEqual([
      [1, 'visitor', 'Привет'],
      [2, 'bot', reply.text],
    ]);
    again.disconnect();

    // … and having shown seq 1 of this conversation: only what came after it.
    const resumed = visitorSocket(server.url, { visitorId, conversationId: ack.data.conversationId, lastSeq: 1 });
    const rest = nextEvent<{ messages: MessageDto[] }>(resumed, 'history');
    await connected(resumed);
    expect((await rest).messages.map((m) => m.seq)).toEqual([2]);
    resumed.disconnect();
  });

  it('answers a retried message with the same ack and stores it once', async () => {
    const socket = visitorSocket(server.url);
    await connected(socket);
    const clientMessageId = randomUUID();
    const first = await socket.emitWithAck('message:send', { clientMessageId, text: 'how much is the 1 gig plan' });
    const retry = await socket.emitWithAck('message:send', { clientMessageId, text: 'how much is the 1 gig plan' });
    expect(first.ok && retry.ok).toBe(true);
    if (!first.ok || !retry.ok) return;
    expect(retry.data).toEqual({ ...first.data, duplicate: true });
    const history = await socket.emitWithAck('history:since', { afterSeq: 0 });
    expect(history.ok && history.data.messages.filter((m) => m.author === 'visitor')).toHaveLength(1);
    socket.disconnect();
  });

  it('rejects bad payloads with an error ack and keeps the socket usable', async () => {
    const socket = visitorSocket(server.url);
    await connected(socket);
    const empty = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text: '   ' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    const long = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'x'.repeat(4001) });
    expect(long).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    // @ts-expect-error — a malicious client sends anything
    const garbage = await socket.emitWithAck('message:send', 'not an object');
    expect(garbage.ok).toBe(false);
    const fine = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'ok then' });
    expect(fine.ok).toBe(true);
    socket.disconnect();
  });

  it('refuses the handshake for an unknown site or a foreign origin, with the reason', async () => {
    const unknown = visitorSocket(server.url, { siteKey: 'no-such-site' });
    await expect(connected(unknown)).rejects.toThrow(/unknown_site/);
    unknown.disconnect();
    const foreign = visitorSocket(server.url, {}, { origin: 'https://evil.example' });
    await expect(connected(foreign)).rejects.toThrow(/origin_not_allowed/);
    foreign.disconnect();
    const own = visitorSocket(server.url, {}, { origin: 'http://localhost:3000' });
    await connected(own);
    own.disconnect();
  });
});
