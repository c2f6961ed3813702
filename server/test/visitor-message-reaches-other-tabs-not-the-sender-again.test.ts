/**
 * A visitor's message is pushed live to the visitor's other tabs, but not back to the tab that
 * sent it: that tab has the message (id, seq, time) from its ack, and one broadcast frame less
 * per message is one less write on the hot path.
 */
import { randomUUID } from 'node:crypto';
import type { MessageDto, SentMessage, Ack } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, connected, STORAGE_MODES, startTestServer, visitorSocket, waitFor, type TestServer } from './support/test-server.ts';

describe.each(STORAGE_MODES)('a visitor with two tabs (%s)', (mode) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(() => server?.stop());

  it("shows the sender's message live in the other tab, and only the bot's reply in the sender's", async () => {
    const visitorId = `visitor-${randomUUID()}`;
    const sender = visitorSocket(server.url, { visitorId });
    const other = visitorSocket(server.url, { visitorId });
    const atSender = collect<MessageDto>(sender, 'message:new');
    const atOther = collect<MessageDto>(other, 'message:new');
    await Promise.all([connected(sender), connected(other)]);

    // The first message opens the conversation that both tabs then follow.
    const first: Ack<SentMessage> = await sender.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Привет' });
    expect(first.ok).toBe(true);
    await waitFor(() => atSender.find((m) => m.author === 'bot'));

    const clientMessageId = randomUUID();
    const second: Ack<SentMessage> = await sender.emitWithAck('message:send', { clientMessageId, text: 'Сколько стоит тариф?' });
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    const live = await waitFor(() => atOther.find((m) => m.clientMessageId === clientMessageId));
    expect(live).toMatchObject({ id: second.data.id, seq: second.data.seq, author: 'visitor', text: 'Сколько стоит тариф?' });
    // The sender hears the bot's answer to it, never its own messages.
    await waitFor(() => atSender.filter((m) => m.author === 'bot').length >= 2);
    expect(atSender.filter((m) => m.author === 'visitor')).toEqual([]);
    sender.disconnect();
    other.disconnect();
  });
});
