import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_MODES, startTestServer, type TestServer } from './support/test-server.ts';

// A Telegram reply is delivered (PENDING → DELIVERED + the bot message) and stored as its outbox
// call by one statement: no crash between the two can leave a reply that never reaches the chat.
describe.each(STORAGE_MODES)('a Telegram reply and its outbox call (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(() => server?.stop());

  async function telegramReply(text: string) {
    const { chat, store } = server.services;
    const db = store['db'];
    const site = (await store.findSiteByKey('demo'))!;
    const chatId = String(Math.floor(Math.random() * 1e9));
    const stored = await chat.store({ site, visitorExternalId: `telegram:${chatId}`, text: 'привет', clientMessageId: randomUUID(), channel: 'TELEGRAM', platform: 'telegram', chatId });
    const now = new Date();
    const reply = await db.pendingReply.create({ data: { conversationId: stored.conversationId, text, category: 'GREETING', typingAt: now, dueAt: now } });
    return { db, store, site, chatId, conversationId: stored.conversationId, replyId: reply.id };
  }

  it('stores the sendMessage call with the delivery, leased to the deliverer; a second delivery stores nothing', async () => {
    const { db, store, chatId, replyId } = await telegramReply('Здравствуйте!');
    const leaseUntil = new Date(Date.now() + 15_000);
    const delivered = await store.deliverReply(replyId, new Date(), { leaseUntil });
    expect(delivered?.telegramCall?.attemptNow).toBe(true);
    const row = await db.telegramCall.findUniqueOrThrow({ where: { key: `msg:${delivered!.message.id}` } });
    expect(row).toMatchObject({ id: delivered!.telegramCall!.job.id, method: 'sendMessage', status: 'PENDING', payload: { chat_id: chatId, text: 'Здравствуйте!' } });
    expect(row.nextAttemptAt.getTime()).toBe(leaseUntil.getTime());
    expect(await store.deliverReply(replyId, new Date(), { leaseUntil })).toBeNull();
    expect(await db.telegramCall.count({ where: { conversationId: row.conversationId } })).toBe(1);
  });

  it('waits behind a pending call of its chat, and is stored as given up when the user blocked the bot', async () => {
    const behind = await telegramReply('второй');
    const earlier = await behind.db.telegramCall.create({
      data: { siteId: behind.site.id, conversationId: behind.conversationId, key: `earlier:${randomUUID()}`, method: 'sendMessage', payload: { chat_id: behind.chatId, text: 'первый' }, nextAttemptAt: new Date(Date.now() + 60_000) },
    });
    const at = new Date();
    const waiting = await behind.store.deliverReply(behind.replyId, at, { leaseUntil: new Date(Date.now() + 15_000) });
    expect(waiting?.telegramCall?.attemptNow).toBe(false);
    const queued = await behind.db.telegramCall.findUniqueOrThrow({ where: { id: waiting!.telegramCall!.job.id } });
    expect({ status: queued.status, due: queued.nextAttemptAt.getTime() }).toEqual({ status: 'PENDING', due: at.getTime() });
    expect(queued.id).not.toBe(earlier.id);

    const blocked = await telegramReply('никому');
    await blocked.db.conversation.update({ where: { id: blocked.conversationId }, data: { deliveryBlockedAt: new Date() } });
    const refused = await blocked.store.deliverReply(blocked.replyId, new Date(), { leaseUntil: new Date(Date.now() + 15_000) });
    expect(refused?.telegramCall?.attemptNow).toBe(false);
    expect((await blocked.db.telegramCall.findUniqueOrThrow({ where: { id: refused!.telegramCall!.job.id } })).status).toBe('FAILED');
  });

  it("keeps the visitor's Telegram name from each new conversation on", async () => {
    const { chat, store } = server.services;
    const db = store['db'];
    const site = (await store.findSiteByKey('demo'))!;
    const visitorExternalId = `telegram:${Math.floor(Math.random() * 1e9)}`;
    const send = (visitorName: string) => chat.store({ site, visitorExternalId, text: 'привет', clientMessageId: randomUUID(), channel: 'TELEGRAM', platform: 'telegram', chatId: '1', visitorName });
    const name = async () => (await db.visitor.findFirstOrThrow({ where: { siteId: site.id, externalId: visitorExternalId } })).name;
    const first = await send('Анна @anna_k');
    expect(first.context?.conversation.visitorName).toBe('Анна @anna_k');
    expect(await name()).toBe('Анна @anna_k');
    await send('Анна К. @anna_k'); // the same conversation: its name stays
    expect(await name()).toBe('Анна @anna_k');
    await db.conversation.update({ where: { id: first.conversationId }, data: { status: 'RESOLVED' } });
    const next = await send('Анна К. @anna_k');
    expect(next.context?.conversation.visitorName).toBe('Анна К. @anna_k');
    expect(await name()).toBe('Анна К. @anna_k');
  });
});
