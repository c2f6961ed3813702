/**
 * Private notes (issue 14): an operator's note reaches the site's operators watching the
 * conversation, and the visitor never — not over the visitor socket, not in the widget's history
 * on reconnect (`history` and `history:since`), not in a REST answer, not in a webhook. Each path
 * also carries the operator's reply written right after the note, so every check could fail.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { MessageDto, NoteDto } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  connected,
  logInOperator,
  nextEvent,
  operatorSocket,
  STORAGE_MODES,
  startTestServer,
  visitorSocket,
  waitFor,
  type OperatorClient,
  type TestServer,
  type VisitorClient,
} from './support/test-server.ts';

const OWNER = { email: 'owner@example.com', password: 'owner password 0123' };
const NOTE = 'NOTE-SECRET: клиент грубит, проверить договор 42';
const REPLY = 'Здравствуйте! Уже смотрю ваш вопрос.';

async function webhookReceiver() {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      bodies.push(raw);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, bodies, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Every event a visitor socket receives, with its arguments. */
function tap(socket: VisitorClient): unknown[] {
  const seen: unknown[] = [];
  socket.onAny((event: string, ...args: unknown[]) => seen.push({ event, args }));
  return seen;
}

describe.each(STORAGE_MODES)('private notes never reach the visitor (%s)', (mode) => {
  let server: TestServer;
  let operator: OperatorClient;
  const sockets: { disconnect(): void }[] = [];

  const ok = async <T,>(event: string, payload: unknown): Promise<T> => {
    const ack = (await (operator.timeout(10_000).emitWithAck as (e: string, p: unknown) => Promise<{ ok: boolean; data?: T; error?: { message: string } }>)(event, payload));
    if (!ack.ok) throw new Error(`${event}: ${ack.error?.message}`);
    return ack.data as T;
  };

  /** Claims the conversation, writes the note, then the reply; returns the note the watching console heard. */
  async function noteThenReply(conversationId: string): Promise<NoteDto> {
    await ok('conversation:open', { conversationId });
    await ok('conversation:claim', { conversationId });
    const heard = nextEvent<NoteDto>(operator, 'conversation:note');
    const stored = await ok<NoteDto>('conversation:note', { conversationId, text: NOTE });
    expect(stored).toMatchObject({ conversationId, text: NOTE, operatorName: 'Admin' });
    await ok('conversation:reply', { conversationId, text: REPLY, clientMessageId: randomUUID() });
    return heard;
  }

  beforeAll(async () => {
    server = await startTestServer(mode, { ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    operator = operatorSocket(server.url, await logInOperator(server.url, OWNER));
    sockets.push(operator);
    await connected(operator);
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.stop();
  });

  it('the widget hears the reply but not the note, live and in its history after a reconnect', { timeout: 60_000 }, async () => {
    const visitorId = `visitor-${randomUUID()}`;
    const visitor = visitorSocket(server.url, { visitorId });
    sockets.push(visitor);
    const live = tap(visitor);
    const messages = collect<MessageDto>(visitor, 'message:new');
    await connected(visitor);
    const sent = await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'позовите оператора, пожалуйста' });
    if (!sent.ok) throw new Error(sent.error.message);
    await waitFor(async () => (await server.services.store.getConversation(sent.data.conversationId))?.status === 'WAITING');

    const heard = await noteThenReply(sent.data.conversationId);
    expect(heard.text).toBe(NOTE);
    await waitFor(() => messages.find((m) => m.text === REPLY));
    expect(JSON.stringify(live)).not.toContain('NOTE-SECRET');

    // The same visitor comes back: its history and a `history:since` from the start hold the reply, not the note.
    const again = visitorSocket(server.url, { visitorId });
    sockets.push(again);
    const history = nextEvent<{ messages: MessageDto[] }>(again, 'history');
    await connected(again);
    const replayed = await history;
    expect(replayed.messages.map((m) => m.text)).toContain(REPLY);
    const since = await again.emitWithAck('history:since', { afterSeq: 0 });
    if (!since.ok) throw new Error(since.error.message);
    expect(since.data.messages.map((m) => m.text)).toContain(REPLY);
    expect(JSON.stringify([replayed, since])).not.toContain('NOTE-SECRET');

    // The console, reopening the conversation, shows the note with the messages.
    const detail = await ok<{ notes: NoteDto[]; messages: MessageDto[] }>('conversation:open', { conversationId: sent.data.conversationId });
    expect(detail.notes.map((n) => n.text)).toEqual([NOTE]);
    expect(JSON.stringify(detail.messages)).not.toContain('NOTE-SECRET');
  });

  it('a REST platform gets the reply in its webhook but never the note, in no webhook and no REST answer', { timeout: 60_000 }, async () => {
    const hook = await webhookReceiver();
    try {
      const clientId = `rest-${randomUUID()}`;
      const post = async (content: string) => {
        const res = await fetch(`${server.url}/api/messages/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-site-key': 'demo', 'x-platform': 'test', 'x-webhook-url': hook.url },
          body: JSON.stringify({ client_id: clientId, content }),
        });
        expect(res.status).toBe(200);
        return (await res.json()) as { conversation_id: string; escalated: boolean };
      };
      const first = await post('позовите оператора, пожалуйста');
      await waitFor(async () => (await server.services.store.getConversation(first.conversation_id))?.status === 'WAITING');

      await noteThenReply(first.conversation_id);
      await waitFor(() => hook.bodies.some((b) => b.includes(REPLY)), 20_000);
      const later = await post('спасибо, жду');
      expect(later.conversation_id).toBe(first.conversation_id);
      expect(JSON.stringify(later)).not.toContain('NOTE-SECRET');
      expect(hook.bodies.join('\n')).not.toContain('NOTE-SECRET');
    } finally {
      await hook.close();
    }
  });
});
