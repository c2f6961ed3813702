import { randomUUID } from 'node:crypto';
import type { Ack, ConversationStatus, MessageDto, Priority, QueueItem } from '@support-chat/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  connected,
  operatorSocket,
  STORAGE_MODES,
  startTestServer,
  visitorSocket,
  waitFor,
  type OperatorClient,
  type TestServer,
  type VisitorClient,
  logInOperator,
} from './support/test-server.ts';
import { GatedLlm } from './support/gated-llm.ts';

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };
const ANNA = { email: 'anna@example.com', name: 'Anna', role: 'operator' as const, sites: [{ siteKey: 'demo', role: 'operator' as const }], password: 'anna-password-123' };
const BORIS = { email: 'boris@example.com', name: 'Boris', role: 'operator' as const, sites: [{ siteKey: 'demo', role: 'operator' as const }], password: 'boris-password-123' };
/** A bot reply takes ≥ 3 s, so it is still pending when the operators claim, even on a busy machine. */
const RESPONSE_DELAY_MS = 3000;

const login = logInOperator;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(STORAGE_MODES)('operators claiming a conversation (%s)', (mode) => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const sockets: Array<VisitorClient | OperatorClient> = [];
  const track = <T extends VisitorClient | OperatorClient>(s: T) => (sockets.push(s), s);

  beforeAll(async () => {
    server = await startTestServer(mode, {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      DELAYS_ENABLED: 'true',
      RESPONSE_DELAY_SECONDS: String(RESPONSE_DELAY_MS / 1000),
      TYPING_MAX_SECONDS: '0.1',
      PACING_JITTER: '0',
    });
    await server.services.auth.upsert(ANNA);
    await server.services.auth.upsert(BORIS);
    tokens.anna = await login(server.url, ANNA);
    tokens.boris = await login(server.url, BORIS);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => server?.stop());

  async function operators(): Promise<[OperatorClient, OperatorClient]> {
    const anna = track(operatorSocket(server.url, tokens.anna!));
    const boris = track(operatorSocket(server.url, tokens.boris!));
    await Promise.all([connected(anna), connected(boris)]);
    return [anna, boris];
  }

  const pendingFor = async (conversationId: string) =>
    (await server.services.store.pendingReplies()).filter((r) => r.conversationId === conversationId);

  it('exactly one of two simultaneous claims wins; the other is told who has it', async () => {
    const [anna, boris] = await operators();
    for (let round = 0; round < 8; round++) {
      const res = await fetch(`${server.url}/api/messages/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_id: `race-${randomUUID()}`, content: 'Сколько стоит тариф 100 Мбит?' }),
      });
      const { conversation_id: conversationId } = (await res.json()) as { conversation_id: string };
      // Alternate who asks first, so neither socket is always ahead.
      const [first, second] = round % 2 === 0 ? [anna, boris] : [boris, anna];
      const acks: Array<Ack<QueueItem>> = await Promise.all([
        first.emitWithAck('conversation:claim', { conversationId }),
        second.emitWithAck('conversation:claim', { conversationId }),
      ]);
      const winners = acks.filter((a) => a.ok);
      const losers = acks.filter((a): a is Extract<Ack<QueueItem>, { ok: false }> => !a.ok);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0]!.error.code).toBe('already_claimed');
      const owner = winners[0]!.ok ? winners[0]!.data : null;
      expect(owner).toMatchObject({ conversationId, status: 'OPERATOR' });
      expect(losers[0]!.error.message).toContain(owner!.ownerName!);
      expect((await server.services.store.getConversation(conversationId))?.ownerId).toBe(owner!.ownerId);
    }
  });

  it('the claim silences the bot (pending reply cancelled), the operator answers, resolves, and the rating is stored', async () => {
    const [anna, boris] = await operators();
    const annaUpserts = collect<QueueItem>(anna, 'queue:upsert');
    const visitor = track(visitorSocket(server.url));
    const messages = collect<MessageDto>(visitor, 'message:new');
    const statuses = collect<{ status: ConversationStatus; priority: Priority }>(visitor, 'conversation:status');
    const ratingRequests = collect<{ conversationId: string }>(visitor, 'rating:request');
    await connected(visitor);

    const sentAt = Date.now();
    const sent = await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Сколько стоит тариф 100 Мбит?' });
    if (!sent.ok) throw new Error(sent.error.message);
    const { conversationId } = sent.data;
    await waitFor(async () => (await pendingFor(conversationId)).length === 1); // the bot's answer is on its way

    const [a, b] = await Promise.all([
      anna.emitWithAck('conversation:claim', { conversationId }),
      boris.emitWithAck('conversation:claim', { conversationId }),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const [owner, other] = a.ok ? [anna, boris] : [boris, anna];
    const lost = a.ok ? b : a;
    expect(lost).toMatchObject({ ok: false, error: { code: 'already_claimed' } });
    // The claim came before the bot's answer was due: that answer was cancelled, never delivered.
    expect(await server.services.store.replyFor(sent.data.id)).toMatchObject({ status: 'CANCELLED', messageId: null });

    expect(await pendingFor(conversationId)).toEqual([]);
    await waitFor(() => statuses.find((s) => s.status === 'OPERATOR'));
    await waitFor(() => annaUpserts.find((i) => i.conversationId === conversationId && i.status === 'OPERATOR' && i.ownerId !== null));

    // The bot stays silent — past the planned reply's due time, and for new visitor messages too.
    const more = await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'а плата за подключение есть?' });
    expect(more.ok).toBe(true);
    await sleep(Math.max(0, sentAt + RESPONSE_DELAY_MS + 1200 - Date.now()));
    expect(messages.filter((m) => m.author === 'bot')).toEqual([]);
    expect(await pendingFor(conversationId)).toEqual([]);

    // Only the owner answers; the answer reaches the visitor's socket.
    const refused = await other.emitWithAck('conversation:reply', { conversationId, text: 'Я тоже тут', clientMessageId: randomUUID() });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_owner' } });
    const again = await other.emitWithAck('conversation:claim', { conversationId });
    expect(again).toMatchObject({ ok: false, error: { code: 'already_claimed' } });

    const replied = await owner.emitWithAck('conversation:reply', { conversationId, text: 'Тариф 100 Мбит стоит 500 ₽ в месяц.', clientMessageId: randomUUID() });
    expect(replied.ok).toBe(true);
    const answer = await waitFor(() => messages.find((m) => m.author === 'operator'));
    expect(answer).toMatchObject({ conversationId, text: 'Тариф 100 Мбит стоит 500 ₽ в месяц.' });
    expect(messages.filter((m) => m.author === 'operator' && m.text === 'Я тоже тут')).toEqual([]);

    // Resolve: the visitor sees RESOLVED and is asked for a rating, which is stored.
    const resolved = await owner.emitWithAck('conversation:resolve', { conversationId });
    expect(resolved).toMatchObject({ ok: true, data: { status: 'RESOLVED' } });
    await waitFor(() => statuses.find((s) => s.status === 'RESOLVED'));
    await waitFor(() => ratingRequests.find((r) => r.conversationId === conversationId));
    expect(messages.filter((m) => m.author === 'bot')).toEqual([]);

    const rated = await visitor.emitWithAck('rating:submit', { rating: 4 });
    expect(rated).toEqual({ ok: true, data: { rating: 4 } });
    const row = await server.services.store['db'].conversation.findUnique({ where: { id: conversationId }, select: { rating: true, status: true } });
    expect(row).toEqual({ rating: 4, status: 'RESOLVED' });
  });

  it('a rating is refused before the conversation is resolved', async () => {
    const visitor = track(visitorSocket(server.url));
    await connected(visitor);
    await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Привет' });
    const rated = await visitor.emitWithAck('rating:submit', { rating: 5 });
    expect(rated).toMatchObject({ ok: false, error: { code: 'not_resolved' } });
  });

  it('claiming again as the owner is fine; an unknown conversation is not_found', async () => {
    const [anna] = await operators();
    const visitor = track(visitorSocket(server.url));
    await connected(visitor);
    const sent = await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'позовите оператора' });
    if (!sent.ok) throw new Error(sent.error.message);
    const { conversationId } = sent.data;
    await waitFor(async () => (await server.services.store.getConversation(conversationId))?.status === 'WAITING');
    const first = await anna.emitWithAck('conversation:claim', { conversationId });
    const second = await anna.emitWithAck('conversation:claim', { conversationId });
    expect(first.ok && second.ok).toBe(true);
    expect(await anna.emitWithAck('conversation:claim', { conversationId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await anna.emitWithAck('conversation:claim', { conversationId: 'not-a-uuid' })).toMatchObject({ ok: false, error: { code: 'validation_error' } });
  });
});

describe.each(STORAGE_MODES)('a claim while the bot is still deciding (%s)', (mode) => {
  let server: TestServer;
  const llm = new GatedLlm();

  beforeAll(async () => {
    await llm.start();
    server = await startTestServer(mode, { OPENAI_API_KEY: 'sk-test', OPENAI_API_BASE: llm.baseURL, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
  });
  afterAll(async () => {
    await server?.stop();
    await llm.stop();
  });

  // `decide` reads the conversation (status BOT) before classifying; a claim that lands while
  // the LLM is still answering cancels nothing yet, so the reply planned afterwards must see the
  // new owner and stay unsent.
  it('the bot stays silent after an operator takes over mid-decision', async () => {
    const token = await login(server.url, ADMIN);
    const op = operatorSocket(server.url, token);
    const visitor = visitorSocket(server.url);
    const messages = collect<MessageDto>(visitor, 'message:new');
    try {
      await Promise.all([connected(op), connected(visitor)]);
      const sent = await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: `Сколько стоит тариф ${randomUUID().slice(0, 4)}?` });
      if (!sent.ok) throw new Error(sent.error.message);
      await waitFor(() => llm.waiting > 0); // the bot is deciding
      const claimed = await op.emitWithAck('conversation:claim', { conversationId: sent.data.conversationId });
      expect(claimed.ok).toBe(true);
      llm.release('BILLING', 0.99);
      // Once the decision is stored, nothing can plan a reply for this message any more.
      await waitFor(async () => (await server.services.store.getMessage(sent.data.id))?.category === 'BILLING');
      expect(await server.services.store.replyFor(sent.data.id)).toBeNull();
      const stored = await server.services.store.messagesAfter(sent.data.conversationId, 0, 10);
      expect(stored.filter((m) => m.author === 'bot')).toEqual([]);
      expect(messages.filter((m) => m.author === 'bot')).toEqual([]);
    } finally {
      op.disconnect();
      visitor.disconnect();
    }
  });

  // The escalation of a complaint is decided on the status read before classifying (BOT); the
  // operator's claim lands in between. The escalation must not move the conversation from
  // OPERATOR back to WAITING, and its handoff reply must not be sent: the human keeps it.
  it('a complaint decided during a claim leaves the conversation with the operator', async () => {
    const token = await login(server.url, ADMIN);
    const op = operatorSocket(server.url, token);
    const visitor = visitorSocket(server.url);
    const messages = collect<MessageDto>(visitor, 'message:new');
    const statuses = collect<{ status: ConversationStatus }>(visitor, 'conversation:status');
    try {
      await Promise.all([connected(op), connected(visitor)]);
      const sent = await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: `Это безобразие, третий день без связи! ${randomUUID().slice(0, 4)}` });
      if (!sent.ok) throw new Error(sent.error.message);
      const { conversationId } = sent.data;
      await waitFor(() => llm.waiting > 0);
      const claimed = await op.emitWithAck('conversation:claim', { conversationId });
      expect(claimed.ok).toBe(true);
      llm.release('COMPLAINT', 0.99);
      await waitFor(async () => (await server.services.store.getMessage(sent.data.id))?.category === 'COMPLAINT');

      const conversation = await server.services.store.getConversation(conversationId);
      expect(conversation).toMatchObject({ status: 'OPERATOR', ownerId: expect.any(String) });
      expect(await server.services.store.replyFor(sent.data.id)).toBeNull();
      const stored = await server.services.store.messagesAfter(conversationId, 0, 10);
      // The visitor's message and the claim's "operator joined" notice; no bot reply.
      expect(stored.map((m) => [m.author, m.templateKey?.split(':')[0] ?? null])).toEqual([['visitor', null], ['system', 'OPERATOR_JOINED']]);
      expect(messages.filter((m) => m.author === 'bot')).toEqual([]);
      expect(statuses.map((s) => s.status)).not.toContain('WAITING');
    } finally {
      op.disconnect();
      visitor.disconnect();
    }
  });
});
