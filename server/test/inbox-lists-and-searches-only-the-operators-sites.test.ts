// The inbox on both storage modes: views and filters, keyset pages that neither repeat nor skip
// while new conversations and messages arrive, full-text search in Russian and English
// morphology — and none of it ever shows a conversation of a site the operator is not in.
import { randomUUID } from 'node:crypto';
import type { InboxListInput, InboxPage, InboxSearchInput, QueueItem, SearchPage, SiteDto } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaInbox } from '../src/adapters/db/prisma-inbox.ts';
import { connected, logInOperator, operatorSocket, STORAGE_MODES, startTestServer, visitorSocket, waitFor, type OperatorClient, type TestServer, type VisitorClient } from './support/test-server.ts';

const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };
const ALICE = { email: 'alice@example.com', password: 'alice-password-1', name: 'Alice' };

describe.each(STORAGE_MODES)('the inbox lists and searches only the operator’s sites (%s)', (mode) => {
  let server: TestServer;
  let owner: OperatorClient;
  let alice: OperatorClient;
  let bKey: string;
  let bConversation: string;
  const sockets: Array<OperatorClient | VisitorClient> = [];

  async function ok<T>(socket: OperatorClient, event: string, payload: unknown): Promise<T> {
    const res = (await (socket.emitWithAck as (e: string, p: unknown) => Promise<{ ok: boolean; data?: T; error?: { message: string } }>)(event, payload));
    if (!res.ok) throw new Error(`${event}: ${res.error!.message}`);
    return res.data!;
  }
  const list = (socket: OperatorClient, input: InboxListInput) => ok<InboxPage>(socket, 'inbox:list', input);
  const search = (socket: OperatorClient, input: InboxSearchInput) => ok<SearchPage>(socket, 'inbox:search', input);

  /** A visitor message of the site, decided (classified, answered or escalated) before it returns. */
  async function say(text: string, siteKey = 'demo', visitorId = `visitor-${randomUUID()}`): Promise<{ conversationId: string; id: string }> {
    const socket = visitorSocket(server.url, { siteKey, visitorId });
    sockets.push(socket);
    await connected(socket);
    const ack = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text });
    socket.disconnect();
    if (!ack.ok) throw new Error(ack.error.message);
    await waitFor(async () => (await server.services.store.getMessage(ack.data.id))?.category);
    return ack.data;
  }

  beforeAll(async () => {
    server = await startTestServer(mode, { ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password });
    owner = operatorSocket(server.url, await logInOperator(server.url, OWNER));
    sockets.push(owner);
    await connected(owner);
    bKey = (await ok<SiteDto>(owner, 'sites:create', { name: 'B Shop', allowedOrigins: [], locale: 'ru' })).key;
    await ok(owner, 'members:add', { siteKey: 'demo', email: ALICE.email, role: 'operator', name: ALICE.name, password: ALICE.password });
    alice = operatorSocket(server.url, await logInOperator(server.url, ALICE));
    sockets.push(alice);
    await connected(alice);
    bConversation = (await say('у меня сломался роутер на складе', bKey)).conversationId;
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.stop();
  });

  it('"роутеры" finds "роутер" and "routers" finds "router" — in her site only', async () => {
    const ru = await say('у меня сломался роутер, что делать');
    const en = await say('my router keeps rebooting every hour');

    const foundRu = await search(alice, { query: 'роутеры' });
    expect(foundRu.hits.map((h) => h.message.id)).toContain(ru.id);
    expect(foundRu.hits.every((h) => h.item.siteKey === 'demo')).toBe(true);
    const foundEn = await search(alice, { query: 'routers' });
    expect(foundEn.hits.map((h) => h.message.id)).toContain(en.id);
    expect(foundEn.hits.find((h) => h.message.id === en.id)?.message.text).toBe('my router keeps rebooting every hour');

    // The owner sees every site: B's message is there to be found, and Alice never finds it.
    const ownersHits = await search(owner, { query: 'роутеры' });
    expect(ownersHits.hits.map((h) => h.item.conversationId)).toContain(bConversation);
    expect(foundRu.hits.map((h) => h.item.conversationId)).not.toContain(bConversation);
    expect((await search(alice, { query: 'складе' })).hits).toEqual([]);
  }, 120_000);

  it('no view of hers lists a conversation of another site; filtering on that site is not_found', async () => {
    await say('привет');
    const ownersOpen = await list(owner, { view: 'open', limit: 100 });
    expect(ownersOpen.items.map((i) => i.conversationId)).toContain(bConversation);
    for (const view of ['queue', 'open', 'mine', 'waiting', 'resolved'] as const) {
      const page = await list(alice, { view, limit: 100 });
      expect(page.items.map((i) => i.conversationId)).not.toContain(bConversation);
      expect(page.items.every((i) => i.siteKey === 'demo')).toBe(true);
    }
    // Her own site by key, and the owner's filter on B: each lists that site's conversations only.
    const hersByKey = await list(alice, { view: 'open', siteKey: 'demo', limit: 100 });
    expect(hersByKey.items.length).toBeGreaterThan(0);
    expect(hersByKey.items.every((i) => i.siteKey === 'demo')).toBe(true);
    const ownersB = await list(owner, { view: 'open', siteKey: bKey, limit: 100 });
    expect(ownersB.items.map((i) => i.conversationId)).toEqual([bConversation]);
    const refused = await alice.emitWithAck('inbox:list', { view: 'open', siteKey: bKey });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const refusedSearch = await alice.emitWithAck('inbox:search', { query: 'роутер', siteKey: bKey });
    expect(refusedSearch).toMatchObject({ ok: false, error: { code: 'not_found' } });
  }, 120_000);

  it('views follow the status, and filters narrow by intent, priority and channel', async () => {
    const human = await say('позовите оператора');
    const complaint = await say('это безобразие, буду жаловаться');
    const waiting = await list(alice, { view: 'waiting', limit: 100 });
    const ids = (items: QueueItem[]) => items.map((i) => i.conversationId);
    expect(ids(waiting.items)).toEqual(expect.arrayContaining([human.conversationId, complaint.conversationId]));
    expect(ids((await list(alice, { view: 'open', limit: 100 })).items)).not.toContain(human.conversationId);

    const high = await list(alice, { view: 'waiting', priority: 'HIGH', limit: 100 });
    expect(ids(high.items)).toContain(complaint.conversationId);
    expect(ids(high.items)).not.toContain(human.conversationId);
    const asked = await list(alice, { view: 'waiting', intent: 'HUMAN_REQUEST', limit: 100 });
    expect(ids(asked.items)).toContain(human.conversationId);
    expect(asked.items.every((i) => i.category === 'HUMAN_REQUEST')).toBe(true);
    expect((await list(alice, { view: 'waiting', channel: 'REST', limit: 100 })).items).toEqual([]);
    expect((await list(alice, { view: 'waiting', channel: 'TELEGRAM', limit: 100 })).items).toEqual([]);
    expect(ids((await list(alice, { view: 'waiting', channel: 'WIDGET', limit: 100 })).items)).toContain(human.conversationId);

    await ok(alice, 'conversation:claim', { conversationId: human.conversationId });
    expect(ids((await list(alice, { view: 'mine' })).items)).toEqual([human.conversationId]);
    expect((await list(owner, { view: 'mine' })).items).toEqual([]);
    await ok(alice, 'conversation:resolve', { conversationId: human.conversationId });
    expect(ids((await list(alice, { view: 'resolved' })).items)).toContain(human.conversationId);
    expect((await list(alice, { view: 'mine' })).items).toEqual([]);
  }, 120_000);

  it('list pages neither repeat nor skip a conversation while new ones arrive', async () => {
    for (let i = 0; i < 5; i += 1) await say(`добрый день ${i}`);
    const snapshot = (await list(alice, { view: 'open', limit: 100 })).items.map((i) => i.conversationId);
    expect(snapshot.length).toBeGreaterThanOrEqual(5);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(alice, { view: 'open', limit: 2, cursor });
      paged.push(...page.items.map((i) => i.conversationId));
      cursor = page.nextCursor ?? undefined;
      await say('добрый вечер'); // a newer conversation: it sorts before every cursor
    } while (cursor);
    expect(paged).toEqual(snapshot);
  }, 180_000);

  it('searches what visitors and operators wrote, never the bot’s replies (the same template words in every conversation)', async () => {
    const greeted = await say('привет');
    const reply = await waitFor(async () => (await server.services.store.messagesAfter(greeted.conversationId, 0, 10)).find((m) => m.author === 'bot'));
    const word = reply.text.split(/[^\p{L}]+/u).sort((a, b) => b.length - a.length)[0]!;
    expect(word.length).toBeGreaterThan(4);
    const visitorSaid = await say(`а что значит ${word}?`);
    const hits = (await search(alice, { query: word, limit: 100 })).hits.map((h) => h.message.id);
    expect(hits).toContain(visitorSaid.id);
    expect(hits).not.toContain(reply.id);
  });

  it('search pages neither repeat nor skip a message while new ones arrive', async () => {
    const word = 'маршрутизатор';
    for (let i = 0; i < 5; i += 1) await say(`сломался ${word} номер ${i}`);
    const snapshot = (await search(alice, { query: word, limit: 100 })).hits.map((h) => h.message.id);
    expect(snapshot.length).toBe(5);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search(alice, { query: 'маршрутизаторы', limit: 2, cursor });
      paged.push(...page.hits.map((h) => h.message.id));
      cursor = page.nextCursor ?? undefined;
      await say(`и ещё один ${word}`);
    } while (cursor);
    expect(paged).toEqual(snapshot);
  }, 180_000);

  it('a search pages alike whether the walk over the newest messages or the word index finds the words', async () => {
    const word = `квитанция${randomUUID().slice(0, 8)}`;
    const said: string[] = [];
    for (let i = 0; i < 5; i += 1) said.unshift((await say(`пришла ${word} номер ${i}`)).id);
    const demo = await server.prisma.site.findUniqueOrThrow({ where: { key: 'demo' } });
    // A window of 2 rows never holds a page of 2 (+1): the index answers. A window of 1,000 holds them all: the walk answers.
    for (const searchWindow of [2, 5, 1000]) {
      const repo = new PrismaInbox(server.prisma, { searchWindow });
      const paged: string[] = [];
      let after: { createdAt: Date; id: string } | null = null;
      for (;;) {
        const hits = await repo.search({ siteIds: [demo.id] }, word, after, 3);
        paged.push(...hits.slice(0, 2).map((h) => h.message.id));
        if (hits.length < 3) break;
        after = { createdAt: new Date(hits[1]!.message.createdAt), id: hits[1]!.message.id };
      }
      expect({ searchWindow, paged }).toEqual({ searchWindow, paged: said });
    }
  }, 180_000);

  it('a forged cursor is refused', async () => {
    const res = await alice.emitWithAck('inbox:list', { view: 'open', cursor: 'not-a-cursor' });
    expect(res).toMatchObject({ ok: false, error: { code: 'validation_error' } });
  });
});
