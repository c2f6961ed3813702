import { randomUUID } from 'node:crypto';
import type { ConversationStatus, MessageDto, Priority, QueueItem } from '@support-chat/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from '../src/domain/templates/default-templates.ts';
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

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };
/** Ordinary replies are paced (≈ 1.5 s + typing); escalation replies must not be. */
const PACED = { DELAYS_ENABLED: 'true', RESPONSE_DELAY_SECONDS: '1.5', TYPING_MAX_SECONDS: '0.1', PACING_JITTER: '0' };

const login = (url: string) => logInOperator(url, ADMIN);

async function rest(url: string, clientId: string, content: string) {
  const res = await fetch(`${url}/api/messages/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_id: clientId, content, client_message_id: randomUUID() }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    message_id: string;
    conversation_id: string;
    response: { text: string; deliver_at: string } | null;
    escalated: boolean;
    priority: Priority;
    escalation_reason: string | null;
  };
}

const startsWithOneOf = (text: string, variants: string[]) => variants.some((v) => text.startsWith(v));
const withoutVariable = (variants: string[]) => variants.map((v) => v.split('{{')[0]!);

describe.each(STORAGE_MODES)('a request repeated three times reaches the operator queue (%s)', (mode) => {
  let server: TestServer;
  let token: string;
  const sockets: Array<VisitorClient | OperatorClient> = [];
  const track = <T extends VisitorClient | OperatorClient>(s: T) => (sockets.push(s), s);

  beforeAll(async () => {
    server = await startTestServer(mode, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, ...PACED });
    token = await login(server.url);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => server?.stop());

  async function onlineOperator(): Promise<{ op: OperatorClient; upserts: QueueItem[] }> {
    const op = track(operatorSocket(server.url, token));
    const upserts = collect<QueueItem>(op, 'queue:upsert');
    await connected(op);
    // The escalation template depends on presence: wait until a visitor session sees the operator.
    await waitFor(async () => {
      const probe = visitorSocket(server.url);
      const session = await new Promise<{ operatorsOnline: number }>((resolve) => probe.once('session', resolve));
      probe.disconnect();
      return session.operatorsOnline >= 1;
    });
    return { op, upserts };
  }

  it('escalates HIGH with the reason, answers with the escalation template at once, queues it, then stops ordinary answers', async () => {
    const { op, upserts } = await onlineOperator();
    const visitor = track(visitorSocket(server.url));
    const messages = collect<MessageDto>(visitor, 'message:new');
    const statuses = collect<{ status: ConversationStatus; priority: Priority }>(visitor, 'conversation:status');
    await connected(visitor);
    const bot = () => messages.filter((m) => m.author === 'bot');

    const send = async (text: string) => {
      const ack = await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text });
      if (!ack.ok) throw new Error(ack.error.message);
      return ack.data;
    };

    // Two ordinary, paced answers first.
    const first = await send('интернет не работает');
    await waitFor(() => bot().length === 1);
    await send('интернет не работает, помогите');
    await waitFor(() => bot().length === 2);
    expect(upserts).toEqual([]);

    // The third time, with frustration: the escalation template comes at once, not paced.
    const third = await send('ВСЁ ЕЩЁ НЕ РАБОТАЕТ ИНТЕРНЕТ???');
    const handoff = await waitFor(() => bot()[2]);
    const { store } = server.services;
    const ordinaryPlan = (await store.replyFor(first.id))!;
    expect(ordinaryPlan.typingAt.getTime() - Date.parse(first.createdAt)).toBeGreaterThanOrEqual(1500); // paced
    expect(ordinaryPlan.dueAt.getTime()).toBeGreaterThan(ordinaryPlan.typingAt.getTime());
    const handoffPlan = (await store.replyFor(third.id))!;
    expect(handoffPlan).toMatchObject({ status: 'DELIVERED', messageId: handoff.id });
    expect(handoffPlan.dueAt.getTime()).toBe(handoffPlan.typingAt.getTime()); // no waiting, no typing
    expect(startsWithOneOf(handoff.text, DEFAULT_TEMPLATES.ESCALATION_REPEAT!.ru)).toBe(true);
    expect(withoutVariable(DEFAULT_TEMPLATES.ESCALATION!.ru).some((v) => handoff.text.includes(v))).toBe(true);
    expect(handoff.text).not.toMatch(/\{\{|\}\}/);

    await waitFor(() => statuses.find((s) => s.status === 'WAITING'));
    expect(statuses.at(-1)).toEqual({ status: 'WAITING', priority: 'HIGH' });

    const queued = await waitFor(() => upserts.find((i) => i.conversationId === first.conversationId));
    expect(queued).toMatchObject({ status: 'WAITING', priority: 'HIGH', escalationReason: 'repeat:TECH_SUPPORT_BASIC×3', ownerId: null });
    const list = await op.emitWithAck('queue:list');
    expect(list.ok && list.data.items.find((i) => i.conversationId === first.conversationId)).toMatchObject({
      priority: 'HIGH',
      escalationReason: 'repeat:TECH_SUPPORT_BASIC×3',
    });

    // While waiting, no ordinary bot answers — whatever the visitor writes.
    for (const text of ['ау, вы тут?', 'Сколько стоит тариф 100 Мбит?', 'привет']) await send(text);
    await new Promise((r) => setTimeout(r, 2000)); // past the pacing of an ordinary reply
    const ordinary = bot()
      .slice(3)
      .filter((m) => !DEFAULT_TEMPLATES.QUEUED!.ru.includes(m.text));
    expect(ordinary).toEqual([]);
  });

  it('the REST channel answers the third repeat with escalated, HIGH, the reason and an immediate reply', async () => {
    await onlineOperator();
    const clientId = `rest-${randomUUID()}`;
    const one = await rest(server.url, clientId, 'internet is not working');
    expect(one).toMatchObject({ escalated: false, priority: 'NORMAL', escalation_reason: null });
    const asked = (await server.services.store.getMessage(one.message_id))!;
    expect(Date.parse(one.response!.deliver_at) - Date.parse(asked.createdAt)).toBeGreaterThanOrEqual(1500); // paced

    await rest(server.url, clientId, 'internet still not working');
    const before = Date.now();
    const three = await rest(server.url, clientId, 'INTERNET IS NOT WORKING!!!');
    expect(three).toMatchObject({ escalated: true, priority: 'HIGH', escalation_reason: 'repeat:TECH_SUPPORT_BASIC×3' });
    expect(Date.parse(three.response!.deliver_at)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(three.response!.deliver_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(startsWithOneOf(three.response!.text, DEFAULT_TEMPLATES.ESCALATION_REPEAT!.en)).toBe(true);

    const waiting = await rest(server.url, clientId, 'how much is the 1 gig plan');
    expect(waiting).toMatchObject({ escalated: true, priority: 'HIGH', escalation_reason: 'repeat:TECH_SUPPORT_BASIC×3' });
    expect(waiting.response === null || DEFAULT_TEMPLATES.QUEUED!.en.includes(waiting.response.text)).toBe(true);
  });

  it('asking for a human escalates NORMAL; asking again while waiting raises it to HIGH in the queue', async () => {
    const { upserts } = await onlineOperator();
    const clientId = `rest-${randomUUID()}`;
    const asked = await rest(server.url, clientId, 'позовите оператора');
    expect(asked).toMatchObject({ escalated: true, priority: 'NORMAL', escalation_reason: 'human_request' });
    await waitFor(() => upserts.find((i) => i.conversationId === asked.conversation_id && i.priority === 'NORMAL'));

    const again = await rest(server.url, clientId, 'дайте живого человека, оператора!');
    expect(again).toMatchObject({ escalated: true, priority: 'HIGH', escalation_reason: 'human_request×2' });
    await waitFor(() => upserts.find((i) => i.conversationId === asked.conversation_id && i.priority === 'HIGH'));
  });

  it('a complaint escalates HIGH at once', async () => {
    const { upserts } = await onlineOperator();
    const complaint = await rest(server.url, `rest-${randomUUID()}`, 'это безобразие, буду жаловаться');
    expect(complaint).toMatchObject({ escalated: true, priority: 'HIGH', escalation_reason: 'complaint' });
    expect(startsWithOneOf(complaint.response!.text, DEFAULT_TEMPLATES.COMPLAINT!.ru)).toBe(true);
    await waitFor(() => upserts.find((i) => i.conversationId === complaint.conversation_id));
  });

  // A burst stored before its first message is decided (a fast typist, a widget flushing its
  // offline queue, the recovery sweep after a crash): message 1 must be decided over the history up to
  // itself — the unclassified later messages would read as UNKNOWN/0 and escalate it at once as
  // `low_confidence×2` instead of `repeat:…×3` on the third message.
  it('a burst stored before any of it is decided escalates on the third repeat, not as low confidence on the first', async () => {
    const { chat, store } = server.services;
    const site = (await store.findSiteByKey('demo'))!;
    const visitorExternalId = `burst-${randomUUID()}`;
    const stored = [];
    for (const text of ['интернет не работает', 'интернет не работает!!', 'интернет всё ещё не работает'])
      stored.push(await chat.store({ site, visitorExternalId, text, clientMessageId: randomUUID(), channel: 'WIDGET' }));
    const conversationId = stored[0]!.conversationId;
    const outcomes = [];
    for (const { message } of stored) outcomes.push(await chat.process(site, conversationId, message.id, null));
    expect(outcomes.map((o) => o.escalationReason)).toEqual([null, null, 'repeat:TECH_SUPPORT_BASIC×3']);
  });
});
