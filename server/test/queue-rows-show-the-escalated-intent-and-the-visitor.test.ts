// A queue row and the detail view say the same thing about a conversation: the intent it was
// escalated on (not whatever the visitor wrote last), and who the visitor is when known.
import { randomUUID } from 'node:crypto';
import type { ConversationDetail, QueueItem } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, logInOperator, operatorSocket, STORAGE_MODES, startTestServer, visitorSocket, waitFor, type OperatorClient, type TestServer, type VisitorClient } from './support/test-server.ts';

const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };

describe.each(STORAGE_MODES)('queue rows show the escalated intent and the visitor (%s)', (mode) => {
  let server: TestServer;
  let op: OperatorClient;
  const visitors: VisitorClient[] = [];

  beforeAll(async () => {
    server = await startTestServer(mode, { ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password });
    op = operatorSocket(server.url, await logInOperator(server.url, OWNER));
    await connected(op);
  }, 120_000);
  afterAll(async () => {
    for (const v of visitors) v.disconnect();
    op?.disconnect();
    await server?.stop();
  });

  async function visitor() {
    const socket = visitorSocket(server.url);
    visitors.push(socket);
    await connected(socket);
    const send = async (text: string) => {
      const ack = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text });
      if (!ack.ok) throw new Error(ack.error.message);
      return ack.data;
    };
    return { socket, send };
  }

  /** The row of `queue:list` and the detail of `conversation:open`, once every message is decided. */
  async function rowAndDetail(conversationId: string, lastMessageId: string): Promise<{ row: QueueItem; detail: ConversationDetail }> {
    await waitFor(async () => (await server.services.store.getMessage(lastMessageId))?.category);
    const list = await op.emitWithAck('queue:list');
    if (!list.ok) throw new Error(list.error.message);
    const row = list.data.items.find((i) => i.conversationId === conversationId)!;
    const opened = await op.emitWithAck('conversation:open', { conversationId });
    if (!opened.ok) throw new Error(opened.error.message);
    return { row, detail: opened.data };
  }

  it('"позовите человека" then "ну что там?": the row and the detail both say HUMAN_REQUEST, with the email left', async () => {
    const { socket, send } = await visitor();
    const profile = await socket.emitWithAck('visitor:profile', { email: 'anna@example.com' });
    expect(profile.ok).toBe(true);
    const asked = await send('позовите человека');
    const followUp = await send('ну что там?');
    const { row, detail } = await rowAndDetail(asked.conversationId, followUp.id);
    expect(row).toMatchObject({ category: 'HUMAN_REQUEST', escalationReason: 'human_request', visitorEmail: 'anna@example.com' });
    expect(detail.category).toBe(row.category);
    expect(detail.confidence).toBe(row.confidence);
    expect(row.lastMessage).toBe('ну что там?');
  });

  it('a tech question asked three times is queued as tech support however the last one was classified', async () => {
    const { send } = await visitor();
    let last = await send('интернет не работает');
    await waitFor(async () => (await server.services.store.getMessage(last.id))?.category);
    last = await send('интернет не работает, помогите');
    await waitFor(async () => (await server.services.store.getMessage(last.id))?.category);
    last = await send('ВСЁ ЕЩЁ НЕ РАБОТАЕТ ИНТЕРНЕТ???');
    const after = await send('алло');
    const { row, detail } = await rowAndDetail(last.conversationId, after.id);
    expect(row).toMatchObject({ category: 'TECH_SUPPORT_BASIC', escalationReason: 'repeat:TECH_SUPPORT_BASIC×3', channel: 'WIDGET' });
    expect([detail.category, detail.confidence]).toEqual([row.category, row.confidence]);
  });
}, 180_000);
