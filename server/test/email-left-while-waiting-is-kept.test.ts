/**
 * Nobody is online: the escalation says so and asks for an email. The visitor leaves one; the
 * bot confirms it, the address lands on the visitor (operators see it in the queue), and the
 * bot goes quiet again for ordinary messages.
 */
import type { Ack, MessageDto, SentMessage } from '@support-chat/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from '../src/domain/templates/default-templates.ts';
import { collect, connected, STORAGE_MODES, startTestServer, visitorSocket, waitFor, type TestServer, type VisitorClient } from './support/test-server.ts';

describe.each(STORAGE_MODES)('an email left while waiting for an operator (%s)', (mode) => {
  let server: TestServer;
  const sockets: VisitorClient[] = [];
  const send = (socket: VisitorClient, text: string) =>
    socket.timeout(10_000).emitWithAck('message:send', { clientMessageId: crypto.randomUUID(), text }) as Promise<Ack<SentMessage>>;

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => server?.stop());

  it('is confirmed, stored on the visitor and shown to operators; then the bot is quiet again', async () => {
    const visitorId = `visitor-${crypto.randomUUID()}`;
    const visitor = visitorSocket(server.url, { visitorId });
    sockets.push(visitor);
    const messages = collect<MessageDto>(visitor, 'message:new');
    const bot = () => messages.filter((m) => m.author === 'bot');
    await connected(visitor);

    expect((await send(visitor, 'позовите оператора, пожалуйста')).ok).toBe(true);
    await waitFor(() => bot().length === 1);
    expect(bot()[0]!.text).toBe(DEFAULT_TEMPLATES.ESCALATION_OFFLINE!.ru[0]);

    expect((await send(visitor, 'хорошо, моя почта Anna.Petrova@Example.com')).ok).toBe(true);
    await waitFor(() => bot().length === 2);
    expect(bot()[1]!.text).toBe(
      'Спасибо, записал ваш адрес anna.petrova@example.com. Оператор ответит здесь, а если не успеет — напишет на почту.',
    );
    const site = (await server.services.store.findSiteByKey('demo'))!;
    const conversation = (await server.services.store.findCurrentConversation(site.id, visitorId))!;
    expect(await server.services.store.queueItem(conversation.id)).toMatchObject({
      status: 'WAITING',
      visitorEmail: 'anna.petrova@example.com',
    });

    const waiting = await send(visitor, 'жду');
    if (!waiting.ok) throw new Error(waiting.error.message);
    // The message is decided (classified) and no reply was planned for it.
    await waitFor(async () => (await server.services.store.getMessage(waiting.data.id))?.category);
    expect(await server.services.store.replyFor(waiting.data.id)).toBeNull();
    expect(bot()).toHaveLength(2);
  });
});
