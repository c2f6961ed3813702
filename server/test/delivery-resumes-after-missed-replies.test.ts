import { randomUUID } from 'node:crypto';
import type { Ack, MessageDto, SentMessage } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, connected, nextEvent, STORAGE_MODES, startTestServer, visitorSocket, waitFor, type TestServer, type VisitorClient } from './support/test-server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function send(socket: VisitorClient, text: string): Promise<SentMessage> {
  const ack: Ack<SentMessage> = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text });
  if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
  return ack.data;
}

/** Connects and resolves with the history the server sends on connect. */
async function reconnect(url: string, auth: { visitorId: string; conversationId?: string; lastSeq?: number }) {
  const socket = visitorSocket(url, auth);
  const live = collect<MessageDto>(socket, 'message:new');
  const history = nextEvent<{ messages: MessageDto[] }>(socket, 'history');
  await connected(socket);
  return { socket, live, history: (await history).messages };
}

const seqs = (messages: MessageDto[]) => messages.map((m) => m.seq);

describe.each(STORAGE_MODES)('a widget that was away resumes by seq (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode, { DELAYS_ENABLED: 'true', RESPONSE_DELAY_SECONDS: '0.3', TYPING_MAX_SECONDS: '0.1', PACING_JITTER: '0' });
  });
  afterAll(() => server?.stop());

  it('gets every message it missed, in order, once — and then goes on live', async () => {
    const visitorId = `visitor-${randomUUID()}`;
    const tab1 = await reconnect(server.url, { visitorId });
    await send(tab1.socket, 'Привет');
    await waitFor(() => tab1.live.find((m) => m.author === 'bot'));
    const shown = Math.max(...seqs(tab1.live)); // 2, the bot's reply: what the widget has on screen

    // The widget sends and goes away before the reply comes.
    const sent = await send(tab1.socket, 'Сколько стоит тариф 500 мегабит?');
    tab1.socket.disconnect();

    // Meanwhile the reply is delivered, and the visitor talks on in another tab.
    const tab2 = await reconnect(server.url, { visitorId });
    await waitFor(() => tab2.live.find((m) => m.author === 'bot' && m.seq > sent.seq) ?? tab2.history.find((m) => m.author === 'bot' && m.seq > sent.seq));
    await send(tab2.socket, 'Как поменять пароль от личного кабинета?');
    await waitFor(() => tab2.live.find((m) => m.author === 'bot' && m.seq === 6));
    tab2.socket.disconnect();

    // Back, naming the conversation and the last seq it showed: exactly what it missed.
    const back = await reconnect(server.url, { visitorId, conversationId: sent.conversationId, lastSeq: shown });
    expect(back.history.map((m) => [m.seq, m.author])).toEqual([
      [3, 'visitor'],
      [4, 'bot'],
      [5, 'visitor'],
      [6, 'bot'],
    ]);
    expect(back.history[0]).toMatchObject({ id: sent.id, text: 'Сколько стоит тариф 500 мегабит?' });

    // The same through history:since, the widget's catch-up call.
    const since = await back.socket.emitWithAck('history:since', { afterSeq: shown });
    expect(since.ok && seqs(since.data.messages)).toEqual([3, 4, 5, 6]);

    // From here on, live — and nothing it already has comes again (its own message, 7, is in its ack).
    const thanks = await send(back.socket, 'Спасибо большое!');
    expect(thanks.seq).toBe(7);
    await waitFor(() => back.live.find((m) => m.author === 'bot'));
    await sleep(500);
    expect(seqs(back.live)).toEqual([8]);
    back.socket.disconnect();

    // Up to date: nothing to resend.
    const upToDate = await reconnect(server.url, { visitorId, conversationId: sent.conversationId, lastSeq: 8 });
    expect(upToDate.history).toEqual([]);
    upToDate.socket.disconnect();
  });

  it('gets a reply that was still pending when it came back live, exactly once', async () => {
    const visitorId = `visitor-${randomUUID()}`;
    const tab = await reconnect(server.url, { visitorId });
    const sent = await send(tab.socket, 'Не работает интернет, роутер мигает красным');
    tab.socket.disconnect();

    // Back before the reply is due (0.3 s + typing): the history holds only the message it sent.
    const back = await reconnect(server.url, { visitorId, conversationId: sent.conversationId, lastSeq: 0 });
    expect(seqs(back.history)).toEqual([1]);
    await waitFor(() => back.live.find((m) => m.author === 'bot'));
    await sleep(500);
    expect(back.live.map((m) => [m.seq, m.author])).toEqual([[2, 'bot']]);
    back.socket.disconnect();
  });

  it('gets the whole current conversation when it names another one', async () => {
    const visitorId = `visitor-${randomUUID()}`;
    const tab = await reconnect(server.url, { visitorId });
    await send(tab.socket, 'Привет');
    await waitFor(() => tab.live.find((m) => m.author === 'bot'));
    tab.socket.disconnect();

    const back = await reconnect(server.url, { visitorId, conversationId: randomUUID(), lastSeq: 2 });
    expect(back.history.map((m) => [m.seq, m.author])).toEqual([
      [1, 'visitor'],
      [2, 'bot'],
    ]);
    back.socket.disconnect();
  });
});
