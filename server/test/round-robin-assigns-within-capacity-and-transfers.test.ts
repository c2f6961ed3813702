/**
 * Assignment on both storage modes (issue 14): with auto-assignment on, waiting conversations go
 * round-robin to the site's online, available operators, never past an operator's capacity; when
 * nobody has room a conversation stays in the queue until someone finishes one. An operator
 * transfers a conversation to a colleague of the site, who is told. Concurrent assignments to one
 * operator (several processes share the database) never fill more than its capacity.
 */
import { randomUUID } from 'node:crypto';
import type { QueueItem, TeamMateDto } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  connected,
  logInOperator,
  operatorSocket,
  STORAGE_MODES,
  startTestServer,
  visitorSocket,
  waitFor,
  type OperatorClient,
  type TestServer,
} from './support/test-server.ts';

const OWNER = { email: 'owner@example.com', password: 'owner password 0123' };
const TEAM = {
  anna: { email: 'anna@example.com', name: 'Anna', password: 'anna password 0123', max: 1 },
  boris: { email: 'boris@example.com', name: 'Boris', password: 'boris password 0123', max: 2 },
  vera: { email: 'vera@example.com', name: 'Vera', password: 'vera password 0123', max: 1 },
};
type Name = keyof typeof TEAM;
type AckResult = { ok: boolean; data?: unknown; error?: { code: string; message: string } };
type Assigned = { item: QueueItem; from: string | null };

describe.each(STORAGE_MODES)('round-robin assignment within capacity, and transfer (%s)', (mode) => {
  let server: TestServer;
  let owner: OperatorClient;
  const sockets: { disconnect(): void }[] = [];
  const ops = {} as Record<Name, { id: string; socket: OperatorClient; assigned: Assigned[] }>;

  const emit = (socket: OperatorClient, event: string, payload?: unknown): Promise<AckResult> =>
    (socket.timeout(10_000).emitWithAck as (e: string, ...a: unknown[]) => Promise<AckResult>)(event, ...(payload === undefined ? [] : [payload]));
  const ok = async <T,>(socket: OperatorClient, event: string, payload?: unknown): Promise<T> => {
    const ack = await emit(socket, event, payload);
    if (!ack.ok) throw new Error(`${event}: ${ack.error?.code} ${ack.error?.message}`);
    return ack.data as T;
  };
  const conversation = (id: string) => server.services.store.getConversation(id);
  const owned = async (name: Name) => (await server.services.store.queue()).filter((i) => i.ownerId === ops[name].id && i.status === 'OPERATOR').map((i) => i.conversationId);

  /** A visitor asks for a person; resolves with the waiting (or already assigned) conversation's id. */
  async function escalate(): Promise<string> {
    const visitor = visitorSocket(server.url);
    sockets.push(visitor);
    await connected(visitor);
    const sent = await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'позовите оператора, пожалуйста' });
    if (!sent.ok) throw new Error(sent.error.message);
    await waitFor(async () => ['WAITING', 'OPERATOR'].includes((await conversation(sent.data.conversationId))?.status ?? ''));
    return sent.data.conversationId;
  }

  beforeAll(async () => {
    server = await startTestServer(mode, { ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password });
    owner = operatorSocket(server.url, await logInOperator(server.url, OWNER));
    sockets.push(owner);
    await connected(owner);
    for (const [name, who] of Object.entries(TEAM) as [Name, (typeof TEAM)[Name]][]) {
      const added = await ok<{ member: { operatorId: string } }>(owner, 'members:add', { siteKey: 'demo', email: who.email, role: 'operator', name: who.name, password: who.password });
      const socket = operatorSocket(server.url, await logInOperator(server.url, who));
      sockets.push(socket);
      ops[name] = { id: added.member.operatorId, socket, assigned: collect<Assigned>(socket, 'conversation:assigned') };
      await connected(socket);
      await ok(socket, 'operator:availability', { maxConversations: who.max, ...(name === 'vera' ? { availability: 'away' } : {}) });
    }
    // Everyone is counted online before the site starts assigning.
    await waitFor(async () => (await ok<{ operators: TeamMateDto[] }>(owner, 'team:list', { siteKey: 'demo' })).operators.filter((m) => m.online).length === 3, 20_000, 100);
    expect(await ok(owner, 'team:auto-assign', { siteKey: 'demo', enabled: true })).toEqual({ autoAssign: true });
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.stop();
  });

  it('gives conversations in turn to online, available operators up to their capacity; the rest waits until one has room', { timeout: 120_000 }, async () => {
    const first = await escalate();
    const firstOwner = (await waitFor(async () => (await conversation(first))?.ownerId))!;
    const second = await escalate();
    const secondOwner = (await waitFor(async () => (await conversation(second))?.ownerId))!;
    // Round-robin: the second goes to the other operator, never to the away one.
    expect(new Set([firstOwner, secondOwner])).toEqual(new Set([ops.anna.id, ops.boris.id]));

    // Anna (capacity 1) is full: the third goes to Boris (capacity 2), then Boris is full too.
    const third = await escalate();
    expect(await waitFor(async () => (await conversation(third))?.ownerId)).toBe(ops.boris.id);
    const fourth = await escalate();
    await waitFor(() => ops.boris.assigned.length === 2 && ops.anna.assigned.length === 1);
    expect(await conversation(fourth)).toMatchObject({ status: 'WAITING', ownerId: null });
    expect(ops.vera.assigned).toEqual([]);
    expect(ops.anna.assigned[0]).toMatchObject({ from: null, item: { conversationId: annaFirst(), status: 'OPERATOR', ownerId: ops.anna.id } });

    // Boris finishes one: the waiting conversation is his at once.
    await ok(ops.boris.socket, 'conversation:resolve', { conversationId: third });
    expect(await waitFor(async () => (await conversation(fourth))?.ownerId)).toBe(ops.boris.id);
    expect((await owned('boris')).length).toBe(2);
    expect((await owned('anna')).length).toBe(1);

    function annaFirst() {
      return firstOwner === ops.anna.id ? first : second;
    }
  });

  it('an operator transfers a conversation to a colleague of the site, who is told; nobody else may move it', { timeout: 60_000 }, async () => {
    const borisConversation = (await owned('boris'))[0]!;
    const refused = await emit(ops.anna.socket, 'conversation:transfer', { conversationId: borisConversation, operatorId: ops.anna.id });
    expect(refused).toEqual({ ok: false, error: { code: 'not_owner', message: expect.any(String) } });

    const before = ops.vera.assigned.length;
    const item = await ok<QueueItem>(ops.boris.socket, 'conversation:transfer', { conversationId: borisConversation, operatorId: ops.vera.id });
    expect(item).toMatchObject({ conversationId: borisConversation, ownerId: ops.vera.id, ownerName: 'Vera', status: 'OPERATOR' });
    const told = await waitFor(() => ops.vera.assigned[before]);
    expect(told).toMatchObject({ from: 'Boris', item: { conversationId: borisConversation, ownerId: ops.vera.id } });
    expect((await conversation(borisConversation))?.ownerId).toBe(ops.vera.id);
    // Vera may now answer it; Boris no longer may.
    await ok(ops.vera.socket, 'conversation:reply', { conversationId: borisConversation, text: 'Здравствуйте, это Вера', clientMessageId: randomUUID() });
    expect((await emit(ops.boris.socket, 'conversation:reply', { conversationId: borisConversation, text: 'я тоже', clientMessageId: randomUUID() })).error?.code).toBe('not_owner');
    // A transfer to someone outside the site is refused as if the operator did not exist.
    expect((await emit(ops.vera.socket, 'conversation:transfer', { conversationId: borisConversation, operatorId: randomUUID() })).error?.code).toBe('not_found');
  });

  it('concurrent assignments to one operator never fill more than its capacity', { timeout: 120_000 }, async () => {
    await ok(owner, 'team:auto-assign', { siteKey: 'demo', enabled: false });
    await ok(ops.vera.socket, 'conversation:resolve', { conversationId: (await owned('vera'))[0] });
    await ok(ops.vera.socket, 'operator:availability', { availability: 'online', maxConversations: 1 });
    const waiting: string[] = [];
    for (let i = 0; i < 6; i++) waiting.push(await escalate());
    const demo = (await server.services.store.findSiteByKey('demo'))!;
    const results = await Promise.all(waiting.map((id) => server.services.assignments.assign(id, ops.vera.id, demo.id, new Date())));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await owned('vera')).toHaveLength(1);
  });
});
