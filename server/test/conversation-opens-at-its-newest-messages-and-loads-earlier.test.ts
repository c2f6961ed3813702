// A long conversation opens at its newest 50 messages; "load earlier" pages back 50 at a time
// until the first, with no message twice and none missing.
import { randomUUID } from 'node:crypto';
import { INBOX_LIMITS } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, logInOperator, operatorSocket, STORAGE_MODES, startTestServer, visitorSocket, waitFor, type OperatorClient, type TestServer } from './support/test-server.ts';

const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };
const TOTAL = 120;

describe.each(STORAGE_MODES)('a conversation opens at its newest messages and loads earlier ones (%s)', (mode) => {
  let server: TestServer;
  let op: OperatorClient;

  beforeAll(async () => {
    server = await startTestServer(mode, { ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password });
    op = operatorSocket(server.url, await logInOperator(server.url, OWNER));
    await connected(op);
  }, 120_000);
  afterAll(async () => {
    op?.disconnect();
    await server?.stop();
  });

  it(`opens with the newest ${INBOX_LIMITS.openMessages}, then pages back to the first`, async () => {
    const visitor = visitorSocket(server.url);
    await connected(visitor);
    const first = await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'привет' });
    visitor.disconnect();
    if (!first.ok) throw new Error(first.error.message);
    const { conversationId } = first.data;
    const { store } = server.services;
    // The bot's greeting lands too; then the rest is filled in as operator lines (no decisions to wait for).
    await waitFor(async () => (await store.messagesAfter(conversationId, 0, 10)).length >= 2);
    const before = (await store.messagesAfter(conversationId, 0, 10)).length;
    for (let i = before + 1; i <= TOTAL; i += 1) await store.appendMessage(conversationId, { author: 'system', text: `line ${i}` });

    const opened = await op.emitWithAck('conversation:open', { conversationId });
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.data.messages.map((m) => m.seq)).toEqual(range(TOTAL - 49, TOTAL));
    expect(opened.data.hasEarlier).toBe(true);

    const seen = opened.data.messages.map((m) => m.seq);
    let hasEarlier = opened.data.hasEarlier;
    while (hasEarlier) {
      const page = await op.emitWithAck('conversation:earlier', { conversationId, beforeSeq: seen[0]! });
      if (!page.ok) throw new Error(page.error.message);
      expect(page.data.messages.length).toBeLessThanOrEqual(INBOX_LIMITS.openMessages);
      seen.unshift(...page.data.messages.map((m) => m.seq));
      hasEarlier = page.data.hasEarlier;
    }
    expect(seen).toEqual(range(1, TOTAL));
  }, 120_000);

  it('refuses a seq that is not a number', async () => {
    const res = await op.emitWithAck('conversation:earlier', { conversationId: randomUUID(), beforeSeq: 'x' as unknown as number });
    expect(res.ok).toBe(false);
  });
});

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
