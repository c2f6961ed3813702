/**
 * Tenancy (issue 13): two sites in one deployment. Alice is the admin of site A (the demo site):
 * every operator event she aims at site B — its conversation, template, article, incident, API
 * key, member, settings, queue — is refused (`not_found`, or `forbidden` for owner-only work),
 * changes nothing of B, and nothing of B ever reaches her socket: no queue broadcast, incident,
 * message or presence count. The owner sees and acts in both; B's own operator sees B only.
 *
 * The event list is read from the protocol's event map, so a new event without a row fails here.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IncidentDto, OperatorClientToServerEvents, QueueItem, SiteDto } from '@support-chat/protocol';
import ts from 'typescript';
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
const ALICE = { email: 'alice@example.com', name: 'Alice', password: 'alice password 0123' };
const BOB = { email: 'bob@example.com', name: 'Bob', password: 'bob password 0123' };
const B_ORIGIN = 'https://b-shop.example';
/** What only site B's visitors say: it must never reach Alice. */
const B_SECRET = 'Заказ B-770-SECRET: позовите оператора, пожалуйста';
const OUTAGE = 'интернета нет во всём доме';

type OperatorEvent = keyof OperatorClientToServerEvents;
type AckResult = { ok: boolean; data?: unknown; error?: { code: string; message: string } };

function operatorEventNames(): string[] {
  const path = fileURLToPath(new URL('../../protocol/src/operator-events.ts', import.meta.url));
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
  const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'OperatorClientToServerEvents')!;
  return declaration.members.map((m) => (m.name as ts.StringLiteral).text);
}

/** Site B's things, by name; filled in `beforeAll`. */
interface SiteB {
  key: string;
  id: string;
  conversation: string;
  message: string;
  article: string;
  apiKeyId: string;
  apiKey: string;
  incident: string;
  bobId: string;
  canned: string;
  /** A waiting conversation of Alice's own site (A), and Alice's id. */
  conversationOfA: string;
  aliceId: string;
}

describe.each(STORAGE_MODES)('operators see only their sites (%s)', (mode) => {
  let server: TestServer;
  const b = {} as SiteB;
  let ownerToken: string;
  let owner: OperatorClient;
  let alice: OperatorClient;
  const aliceSaw: unknown[] = [];
  const ownerUpserts: QueueItem[] = [];
  const ownerIncidents: IncidentDto[] = [];
  const sockets: { disconnect(): void }[] = [];
  let demoSettingsBefore: unknown;
  /** What B's waiting visitor was shown of operators typing. */
  let typingShownToB: { author: string; typing: boolean }[] = [];

  const emit = (socket: OperatorClient, event: string, payload: unknown): Promise<AckResult> => {
    const send = socket.timeout(10_000).emitWithAck.bind(socket) as (e: string, ...args: unknown[]) => Promise<AckResult>;
    return payload === undefined ? send(event) : send(event, payload);
  };
  const ok = async <T,>(socket: OperatorClient, event: string, payload?: unknown): Promise<T> => {
    const ack = await emit(socket, event, payload);
    if (!ack.ok) throw new Error(`${event}: ${ack.error?.code} ${ack.error?.message}`);
    return ack.data as T;
  };
  /** Everything that marks site B: none of it may reach Alice. */
  const marksOfB = () => [b.key, b.id, b.conversation, b.message, b.article, b.apiKeyId, b.apiKey, b.incident, b.bobId, b.canned, 'B-770-SECRET', BOB.email, B_ORIGIN];
  const expectNothingOfB = (received: unknown, label: string) => {
    const text = JSON.stringify(received);
    for (const mark of marksOfB()) expect(text, `${label} leaked ${mark}`).not.toContain(mark);
  };

  /** A visitor of site B who writes `text` and waits for the bot (the escalation, or an answer). */
  async function visitorOfB(text: string): Promise<{ socket: VisitorClient; conversationId: string; messageId: string }> {
    const socket = visitorSocket(server.url, { siteKey: b.key }, { origin: B_ORIGIN });
    sockets.push(socket);
    const bot = nextEvent(socket, 'message:new');
    await connected(socket);
    const sent = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text });
    if (!sent.ok) throw new Error(sent.error.message);
    await bot;
    return { socket, conversationId: sent.data.conversationId, messageId: sent.data.id };
  }

  beforeAll(async () => {
    server = await startTestServer(mode, { ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password, MASS_OUTAGE_THRESHOLD: '2' });
    ownerToken = await logInOperator(server.url, OWNER);
    owner = operatorSocket(server.url, ownerToken);
    sockets.push(owner);
    ownerUpserts.push(...[]);
    owner.on('queue:upsert', (item) => ownerUpserts.push(item));
    owner.on('incident:opened', (incident) => ownerIncidents.push(incident));
    await connected(owner);

    // The owner creates site B and its team; Alice is made the admin of the demo site (A).
    const site = await ok<SiteDto>(owner, 'sites:create', { name: 'B Shop', allowedOrigins: [B_ORIGIN], locale: 'en' });
    b.key = site.key;
    b.id = (await server.services.store.findSiteByKey(site.key))!.id;
    const bob = await ok<{ member: { operatorId: string } }>(owner, 'members:add', { siteKey: b.key, email: BOB.email, role: 'operator', name: BOB.name, password: BOB.password });
    b.bobId = bob.member.operatorId;
    b.aliceId = (await ok<{ member: { operatorId: string } }>(owner, 'members:add', { siteKey: 'demo', email: ALICE.email, role: 'admin', name: ALICE.name, password: ALICE.password })).member.operatorId;

    // B's things: a template, an article, an API key, a waiting conversation, an incident.
    await ok(owner, 'templates:save', { siteKey: b.key, category: 'WELCOME', locale: 'en', variants: ['Welcome to B'] });
    b.article = (await ok<{ id: string }>(owner, 'knowledge:save', { siteKey: b.key, title: 'B returns', body: 'B-770-SECRET returns policy' })).id;
    b.canned = (await ok<{ id: string }>(owner, 'canned:save', { siteKey: b.key, shortcut: 'b-refund', text: 'B-770-SECRET refund steps' })).id;
    const key = await ok<{ key: string; record: { id: string } }>(owner, 'apikeys:create', { siteKey: b.key, name: 'B backend' });
    b.apiKeyId = key.record.id;
    b.apiKey = key.key;
    const waiting = await visitorOfB(B_SECRET);
    typingShownToB = collect<{ author: string; typing: boolean }>(waiting.socket, 'typing');
    b.conversation = waiting.conversationId;
    b.message = waiting.messageId;
    await waitFor(() => ownerUpserts.find((i) => i.conversationId === b.conversation));
    await visitorOfB(OUTAGE);
    await visitorOfB(OUTAGE);
    b.incident = (await waitFor(() => ownerIncidents.find((i) => i.siteKey === b.key))).id;
    demoSettingsBefore = (await server.services.store.findSiteByKey(b.key))!.settings;
    const visitorOfA = visitorSocket(server.url);
    sockets.push(visitorOfA);
    await connected(visitorOfA);
    const sentA = await visitorOfA.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'позовите оператора' });
    if (!sentA.ok) throw new Error(sentA.error.message);
    b.conversationOfA = sentA.data.conversationId;
    await waitFor(() => ownerUpserts.find((i) => i.conversationId === b.conversationOfA));

    // Alice connects only now: every later broadcast of B is one she must not hear.
    alice = operatorSocket(server.url, await logInOperator(server.url, ALICE));
    sockets.push(alice);
    alice.onAny((event: string, ...args: unknown[]) => aliceSaw.push({ event, args }));
    await connected(alice);
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.stop();
  });

  /** Each operator event aimed at site B (by key, or by the id of one of B's things), and the refusal Alice gets. */
  const ROWS: Record<OperatorEvent, { target: string; payload: () => unknown; code: string }[]> = {
    'queue:list': [{ target: "B's queue", payload: () => ({ siteKey: b.key }), code: 'not_found' }],
    'inbox:list': [{ target: "B's waiting view", payload: () => ({ view: 'waiting', siteKey: b.key }), code: 'not_found' }],
    'inbox:search': [{ target: "B's messages", payload: () => ({ query: 'B', siteKey: b.key }), code: 'not_found' }],
    'conversation:open': [{ target: "B's conversation", payload: () => ({ conversationId: b.conversation }), code: 'not_found' }],
    'conversation:earlier': [{ target: "B's conversation", payload: () => ({ conversationId: b.conversation, beforeSeq: 100 }), code: 'not_found' }],
    'conversation:claim': [{ target: "B's conversation", payload: () => ({ conversationId: b.conversation }), code: 'not_found' }],
    'conversation:reply': [{ target: "B's conversation", payload: () => ({ conversationId: b.conversation, text: 'from Alice', clientMessageId: randomUUID() }), code: 'not_found' }],
    // No ack by protocol: refused in the service and never shown (B's visitor is checked below).
    'conversation:typing': [{ target: "B's conversation", payload: () => ({ conversationId: b.conversation, typing: true }), code: 'none' }],
    'conversation:note': [{ target: "B's conversation", payload: () => ({ conversationId: b.conversation, text: 'from Alice' }), code: 'not_found' }],
    'conversation:transfer': [
      { target: "B's conversation, to herself", payload: () => ({ conversationId: b.conversation, operatorId: b.aliceId }), code: 'not_found' },
      { target: "her own site's conversation, to B's operator", payload: () => ({ conversationId: b.conversationOfA, operatorId: b.bobId }), code: 'not_found' },
    ],
    'team:list': [{ target: "B's team", payload: () => ({ siteKey: b.key }), code: 'not_found' }],
    'team:auto-assign': [{ target: "B's auto-assignment", payload: () => ({ siteKey: b.key, enabled: true }), code: 'not_found' }],
    // Acts on the caller's own account only.
    'operator:availability': [],
    'conversation:resolve': [{ target: "B's conversation", payload: () => ({ conversationId: b.conversation }), code: 'not_found' }],
    'conversation:handback': [{ target: "B's conversation", payload: () => ({ conversationId: b.conversation }), code: 'not_found' }],
    'incident:resolve': [{ target: "B's incident", payload: () => ({ incidentId: b.incident, message: 'resolved by Alice' }), code: 'not_found' }],
    'templates:list': [{ target: "B's templates", payload: () => ({ siteKey: b.key }), code: 'not_found' }],
    'templates:save': [{ target: "B's template", payload: () => ({ siteKey: b.key, category: 'WELCOME', locale: 'en', variants: ['from Alice'] }), code: 'not_found' }],
    'knowledge:list': [{ target: "B's articles", payload: () => ({ siteKey: b.key }), code: 'not_found' }],
    'knowledge:save': [
      { target: "B's knowledge base", payload: () => ({ siteKey: b.key, title: 'Alice', body: 'from Alice' }), code: 'not_found' },
      { target: "B's article by id, on her own site", payload: () => ({ id: b.article, title: 'Alice', body: 'from Alice' }), code: 'not_found' },
    ],
    'knowledge:delete': [
      { target: "B's article", payload: () => ({ siteKey: b.key, id: b.article }), code: 'not_found' },
      { target: "B's article by id, on her own site", payload: () => ({ id: b.article }), code: 'not_found' },
    ],
    'canned:list': [{ target: "B's canned responses", payload: () => ({ siteKey: b.key }), code: 'not_found' }],
    'canned:save': [
      { target: "B's canned responses", payload: () => ({ siteKey: b.key, shortcut: 'alice', text: 'from Alice' }), code: 'not_found' },
      { target: "B's canned response by id, on her own site", payload: () => ({ id: b.canned, shortcut: 'alice', text: 'from Alice' }), code: 'not_found' },
    ],
    'canned:delete': [
      { target: "B's canned response", payload: () => ({ siteKey: b.key, id: b.canned }), code: 'not_found' },
      { target: "B's canned response by id, on her own site", payload: () => ({ id: b.canned }), code: 'not_found' },
    ],
    'message:mark-wrong': [{ target: "a message of B's conversation", payload: () => ({ conversationId: b.conversation, messageId: b.message, wrong: true }), code: 'not_found' }],
    'apikeys:list': [{ target: "B's API keys", payload: () => ({ siteKey: b.key }), code: 'not_found' }],
    'apikeys:create': [{ target: "B's API keys", payload: () => ({ siteKey: b.key, name: 'Alice' }), code: 'not_found' }],
    'apikeys:revoke': [
      { target: "B's API key", payload: () => ({ siteKey: b.key, id: b.apiKeyId }), code: 'not_found' },
      { target: "B's API key by id, on her own site", payload: () => ({ id: b.apiKeyId }), code: 'not_found' },
    ],
    // Answers, with her own sites only: checked below.
    'sites:list': [],
    // Acts on the caller's own profile only: no other site's or operator's to reach.
    'operator:profile:update': [],
    'sites:create': [{ target: 'a new site (owners only)', payload: () => ({ name: 'Alice Shop', allowedOrigins: [], locale: 'ru' }), code: 'forbidden' }],
    'sites:update': [
      { target: "B's settings", payload: () => ({ siteKey: b.key, settings: { title: 'Alice was here' } }), code: 'not_found' },
      { target: "B's origins", payload: () => ({ siteKey: b.key, allowedOrigins: ['https://alice.example'] }), code: 'not_found' },
    ],
    'telegram:get': [{ target: "B's Telegram bot", payload: () => ({ siteKey: b.key }), code: 'not_found' }],
    'telegram:update': [{ target: "B's Telegram bot", payload: () => ({ siteKey: b.key, enabled: true, botToken: '123456:AAH-alice-token-0123456789abcdefghi' }), code: 'not_found' }],
    'members:list': [{ target: "B's team", payload: () => ({ siteKey: b.key }), code: 'not_found' }],
    'members:add': [{ target: "B's team", payload: () => ({ siteKey: b.key, email: ALICE.email, role: 'admin' }), code: 'not_found' }],
    'members:remove': [
      { target: "B's member", payload: () => ({ siteKey: b.key, operatorId: b.bobId }), code: 'not_found' },
      { target: "B's member, on her own site", payload: () => ({ operatorId: b.bobId }), code: 'not_found' },
    ],
    'conversation:export': [{ target: "B's conversation", payload: () => ({ conversationId: b.conversation, format: 'json' }), code: 'not_found' }],
    'visitor:erase': [{ target: "B's visitor", payload: () => ({ conversationId: b.conversation }), code: 'not_found' }],
    'audit:list': [{ target: "B's audit log", payload: () => ({ siteKey: b.key }), code: 'not_found' }],
    'analytics:get': [{ target: "B's analytics", payload: () => ({ siteKey: b.key, from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }), code: 'not_found' }],
  };

  it('has a row for every operator event', () => {
    expect(Object.keys(ROWS).sort()).toEqual(operatorEventNames().sort());
  });

  it.each(Object.entries(ROWS).flatMap(([event, rows]) => rows.map((row) => [event, row.target, row] as const)))(
    '%s on %s by an admin of another site → refused, nothing leaked',
    async (event, _target, row) => {
      const ack = await emit(alice, event, row.payload());
      if (row.code === 'none') expect(ack).toEqual({ ok: true, data: null });
      else expect(ack).toEqual({ ok: false, error: { code: row.code, message: expect.any(String) } });
      expectNothingOfB(ack, event);
    },
  );

  it("lists her own site with her role, never B's", async () => {
    const { sites } = await ok<{ sites: SiteDto[] }>(alice, 'sites:list');
    expect(sites.map((s) => [s.key, s.myRole])).toEqual([['demo', 'admin']]);
    const { items, incidents } = await ok<{ items: QueueItem[]; incidents: IncidentDto[] }>(alice, 'queue:list');
    expect(items.every((i) => i.siteKey === 'demo')).toBe(true);
    expect(incidents.every((i) => i.siteKey === 'demo')).toBe(true);
    expectNothingOfB([sites, items, incidents], 'her lists');
  });

  it("changed nothing of B: its conversation waits unclaimed, its article, key, template, settings and team are as they were", async () => {
    const { store, apiKeys } = server.services;
    expect(typingShownToB.filter((t) => t.author === 'operator')).toEqual([]);
    const conversation = (await store.getConversation(b.conversation))!;
    expect([conversation.status, conversation.ownerId]).toEqual(['WAITING', null]);
    const texts = (await store.messagesAfter(b.conversation, 0, 100)).map((m) => m.text);
    expect(texts.join('\n')).not.toContain('from Alice');
    expect(await server.services.notes.list(b.conversation, 100)).toEqual([]);
    expect((await store.getIncident(b.incident))?.status).toBe('OPEN');
    expect((await apiKeys.list(b.id)).find((k) => k.id === b.apiKeyId)?.revokedAt).toBeNull();
    expect((await store.templates(b.id)).find((t) => t.category === 'WELCOME' && t.locale === 'en')?.variants).toEqual(['Welcome to B']);
    expect((await server.services.store.findSiteByKey(b.key))!.settings).toEqual(demoSettingsBefore);
    expect((await server.services.store.findSiteByKey(b.key))!.allowedOrigins).toEqual([B_ORIGIN]);
    expect((await server.services.sites.members(b.id)).map((m) => m.email)).toEqual([BOB.email]);
    const { responses } = await ok<{ responses: { id: string; text: string }[] }>(owner, 'canned:list', { siteKey: b.key });
    expect(responses.map((r) => [r.id, r.text])).toEqual([[b.canned, 'B-770-SECRET refund steps']]);
    const { articles } = await ok<{ articles: { id: string }[] }>(owner, 'knowledge:list', { siteKey: b.key });
    expect(articles.map((a) => a.id)).toContain(b.article);
  });

  it("hears nothing of B's work (queue, incidents, messages, presence) while hearing her own site's", async () => {
    const heardBefore = aliceSaw.length;
    const aliceUpserts = collect<QueueItem>(alice, 'queue:upsert');
    // B's operator comes online, the owner claims and answers B's visitor, a new B visitor escalates, B's incident is resolved.
    const bob = operatorSocket(server.url, await logInOperator(server.url, BOB));
    sockets.push(bob);
    const bobUpserts = collect<QueueItem>(bob, 'queue:upsert');
    await connected(bob);
    await ok(owner, 'conversation:claim', { conversationId: b.conversation });
    await ok(owner, 'conversation:reply', { conversationId: b.conversation, text: 'B-770-SECRET answered', clientMessageId: randomUUID() });
    const second = await visitorOfB(B_SECRET);
    await ok(owner, 'incident:resolve', { incidentId: b.incident, message: 'B-770-SECRET fixed' });
    // A's own visitor escalates: Alice hears that (so her socket is live and this test can fail).
    const visitorA = visitorSocket(server.url);
    sockets.push(visitorA);
    await connected(visitorA);
    const sentA = await visitorA.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'позовите оператора, пожалуйста' });
    if (!sentA.ok) throw new Error(sentA.error.message);
    await waitFor(() => aliceUpserts.find((i) => i.conversationId === sentA.data.conversationId));
    // B's own operator heard B's new conversation; the owner heard everything.
    await waitFor(() => bobUpserts.find((i) => i.conversationId === second.conversationId));
    expect(bobUpserts.every((i) => i.siteKey === b.key)).toBe(true);
    await waitFor(() => ownerUpserts.find((i) => i.conversationId === sentA.data.conversationId));
    await waitFor(() => ownerUpserts.find((i) => i.conversationId === second.conversationId));

    expect(aliceSaw.length).toBeGreaterThan(heardBefore);
    expectNothingOfB(aliceSaw, "Alice's socket");
    const onlineCounts = aliceSaw.filter((e) => (e as { event: string }).event === 'operators:online').map((e) => (e as { args: [{ siteKey?: string }] }).args[0]);
    expect(onlineCounts.every((c) => c.siteKey === 'demo')).toBe(true);
  });

  it('the owner sees both sites; taken off a site, an operator stops hearing it at once', async () => {
    const { sites } = await ok<{ sites: SiteDto[] }>(owner, 'sites:list');
    expect(sites.map((s) => s.key)).toEqual(expect.arrayContaining(['demo', b.key]));
    expect(sites.every((s) => s.myRole === 'owner')).toBe(true);
    const queue = await ok<{ items: QueueItem[] }>(owner, 'queue:list');
    expect(new Set(queue.items.map((i) => i.siteKey))).toEqual(new Set(['demo', b.key]));

    // Bob, B's operator, is connected; the owner removes him from B: his console leaves B's room and is told.
    const bob = operatorSocket(server.url, await logInOperator(server.url, BOB));
    sockets.push(bob);
    const bobUpserts = collect<QueueItem>(bob, 'queue:upsert');
    const profile = nextEvent<{ sites: unknown[] }>(bob, 'operator:profile');
    await connected(bob);
    expect((await ok<{ items: QueueItem[] }>(bob, 'queue:list')).items.every((i) => i.siteKey === b.key)).toBe(true);
    await ok(owner, 'members:remove', { siteKey: b.key, operatorId: b.bobId });
    expect((await profile).sites).toEqual([]);
    const third = await visitorOfB(B_SECRET);
    await waitFor(() => ownerUpserts.find((i) => i.conversationId === third.conversationId));
    expect(bobUpserts.find((i) => i.conversationId === third.conversationId)).toBeUndefined();
    expect(await emit(bob, 'conversation:open', { conversationId: third.conversationId })).toEqual({ ok: false, error: { code: 'not_found', message: expect.any(String) } });
  });
});
