import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaTelegram } from '../src/adapters/db/prisma-telegram.ts';
import { Retention } from '../src/services/retention.ts';
import { connected, STORAGE_MODES, startTestServer, visitorSocket, waitFor, type TestServer } from './support/test-server.ts';

const DAY = 24 * 3_600_000;

// Delivered and cancelled planned replies and finished webhook deliveries are bookkeeping:
// deleted after RETENTION_DAYS. Messages are kept, and so is anything still pending.
describe.each(STORAGE_MODES)('retention (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(() => server?.stop());

  it('deletes finished delivery records older than the cutoff and keeps messages and pending work', async () => {
    const { store } = server.services;
    const db = store['db'];
    const visitor = visitorSocket(server.url);
    await connected(visitor);
    const sent = await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Привет' });
    visitor.disconnect();
    if (!sent.ok) throw new Error(sent.error.message);
    const { conversationId } = sent.data;
    // The greeting is due at once (delays are off): its decision writes it, with no plan to keep.
    await waitFor(async () => (await store.messagesAfter(conversationId, 0, 10)).some((m) => m.author === 'bot'));

    const now = Date.now();
    const reply = (status: 'DELIVERED' | 'CANCELLED' | 'PENDING', daysAgo: number) => ({
      conversationId,
      text: 'x',
      category: 'GREETING',
      status,
      typingAt: new Date(now - daysAgo * DAY),
      dueAt: new Date(now - daysAgo * DAY),
    });
    const old = await Promise.all([db.pendingReply.create({ data: reply('DELIVERED', 40) }), db.pendingReply.create({ data: reply('CANCELLED', 31) })]);
    // The pending one is planned long ago but due in an hour: one already due would be delivered by
    // the server's own overdue poll while this test runs (and then be bookkeeping like the others).
    const pending = { ...reply('PENDING', 45), dueAt: new Date(now + 3_600_000) };
    const kept = await Promise.all([db.pendingReply.create({ data: reply('CANCELLED', 29) }), db.pendingReply.create({ data: pending })]);
    const webhook = (status: 'DELIVERED' | 'FAILED' | 'PENDING', daysAgo: number) =>
      db.webhookDelivery.create({ data: { messageId: sent.data.id, url: `https://hooks.example.com/${randomUUID()}`, payload: {}, status, createdAt: new Date(now - daysAgo * DAY) } });
    const oldHooks = await Promise.all([webhook('DELIVERED', 40), webhook('FAILED', 35)]);
    const keptHooks = await Promise.all([webhook('DELIVERED', 1), webhook('PENDING', 40)]);

    const retention = new Retention({ store, telegram: new PrismaTelegram(db), clock: { now: () => new Date(now) }, days: 30, onError: (e) => { throw e; } });
    expect(await retention.run()).toEqual({ replies: 2, webhooks: 2, telegramCalls: 0 });

    const replies = await db.pendingReply.findMany({ where: { conversationId }, select: { id: true } });
    expect(replies.map((r) => r.id).sort()).toEqual(kept.map((r) => r.id).sort());
    const hooks = await db.webhookDelivery.findMany({ where: { messageId: sent.data.id }, select: { id: true } });
    expect(hooks.map((h) => h.id).sort()).toEqual(keptHooks.map((h) => h.id).sort());
    expect(oldHooks.every((h) => !hooks.some((k) => k.id === h.id))).toBe(true);
    expect(old.every((r) => !replies.some((k) => k.id === r.id))).toBe(true);
    // The conversation's messages are untouched.
    expect((await store.messagesAfter(conversationId, 0, 10)).map((m) => m.author)).toEqual(['visitor', 'bot']);
  });

  it('deletes sent and given-up Telegram calls older than the cutoff and keeps recent and pending ones', async () => {
    const db = server.services.store['db'];
    const site = await db.site.findUniqueOrThrow({ where: { key: 'demo' } });
    const now = Date.now();
    const call = (status: 'DELIVERED' | 'FAILED' | 'PENDING', daysAgo: number) =>
      db.telegramCall.create({
        data: { siteId: site.id, key: `msg:${randomUUID()}`, method: 'sendMessage', payload: { chat_id: 42, text: 'x' }, status, createdAt: new Date(now - daysAgo * DAY) },
      });
    const old = await Promise.all([call('DELIVERED', 31), call('FAILED', 40)]);
    const kept = await Promise.all([call('DELIVERED', 29), call('PENDING', 45)]);

    const retention = new Retention({ store: server.services.store, telegram: new PrismaTelegram(db), clock: { now: () => new Date(now) }, days: 30, onError: (e) => { throw e; } });
    expect((await retention.run()).telegramCalls).toBe(2);

    const left = await db.telegramCall.findMany({ where: { id: { in: [...old, ...kept].map((c) => c.id) } }, select: { id: true } });
    expect(left.map((c) => c.id).sort()).toEqual(kept.map((c) => c.id).sort());
  });
});
