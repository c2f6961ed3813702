import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaStore } from '../src/adapters/db/prisma-store.ts';
import type { DecisionToApply } from '../src/services/ports.ts';
import { openSql } from './support/server-process.ts';
import { countingStore } from './support/counting-store.ts';
import { STORAGE_MODES, startTestServer, type TestServer } from './support/test-server.ts';

// Decisions of many conversations that arrive together are written by one statement
// (statement-batches.ts). Each must do what it would alone: classify its message and write its
// reply once, after the conversation's messages, with its Telegram call or webhook job; an already
// decided message gets no second reply, a message behind an undecided one waits, and a row the
// batch refuses takes the single path.
describe.each(STORAGE_MODES)('decisions written together (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(() => server?.stop());

  const counting = () => countingStore(server);

  const decision = (message: { id: string; conversationId: string; seq: number }, text: string, at = new Date()): DecisionToApply => ({
    conversationId: message.conversationId,
    messageId: message.id,
    seq: message.seq,
    classification: { category: 'BILLING', confidence: 0.9, source: 'local' },
    escalate: null,
    intent: { category: 'BILLING', confidence: 0.9 },
    reply: { text, category: 'BILLING', templateKey: 'BILLING:0', sources: null, typingAt: at, dueAt: at },
    cancelIfNoReply: false,
    at,
    deliverNow: { webhook: { leaseUntil: at } },
  });

  const visitorMessage = async (store: PrismaStore, visitor: string, extra: { channel?: 'WIDGET' | 'REST' | 'TELEGRAM'; webhookUrl?: string; chatId?: string } = {}) => {
    const site = (await store.findSiteByKey('demo'))!;
    const received = await store.receiveVisitorMessage(
      {
        siteId: site.id,
        visitorExternalId: visitor,
        channel: extra.channel ?? 'WIDGET',
        text: 'сколько стоит тариф?',
        clientMessageId: randomUUID(),
        webhookUrl: extra.webhookUrl ?? null,
        chatId: extra.chatId ?? null,
        ...(extra.channel === 'TELEGRAM' ? { platform: 'telegram' } : {}),
      },
      12,
    );
    return received.message;
  };

  it('classify each message and write its reply after it, once, in a few statements', async () => {
    const { store, counter, db } = counting();
    const messages = await Promise.all(Array.from({ length: 12 }, (_, i) => visitorMessage(store, `decided-together-${i}-${randomUUID()}`)));

    counter.statements = 0;
    const applied = await Promise.all(messages.map((m, i) => store.applyDecision(decision(m, `ответ ${i}`))));
    messages.forEach((m, i) => {
      expect(applied[i]).toMatchObject({ decided: true, status: 'BOT', escalated: false, replyId: null });
      const delivered = applied[i]!.decided ? applied[i]!.delivered : null;
      expect(delivered).toMatchObject({ message: { conversationId: m.conversationId, seq: 2, author: 'bot', text: `ответ ${i}` }, conversation: { id: m.conversationId, status: 'BOT' } });
    });
    // 12 decisions: the first alone (the database was idle), the others together.
    expect(counter.statements).toBeLessThanOrEqual(3);

    // Decided again (a second process, the sweep): nothing written, no second reply.
    const again = await Promise.all(messages.map((m, i) => store.applyDecision(decision(m, `ещё ответ ${i}`))));
    expect(again.every((a) => !a.decided)).toBe(true);
    const stored = await db.message.findMany({ where: { conversationId: { in: messages.map((m) => m.conversationId) } }, orderBy: [{ conversationId: 'asc' }, { seq: 'asc' }] });
    expect(stored).toHaveLength(24);
    for (const m of messages) {
      const rows = stored.filter((s) => s.conversationId === m.conversationId);
      expect(rows.map((r) => [r.seq, r.author, r.category, r.inReplyTo])).toEqual([
        [1, 'VISITOR', 'BILLING', null],
        [2, 'BOT', 'BILLING', m.id],
      ]);
    }
  });

  it('leave a message behind an undecided one undecided, and write a reply needing a webhook job with its job', async () => {
    const { store, counter, db } = counting();
    const first = await visitorMessage(store, `decided-behind-${randomUUID()}`);
    const second = (await store.appendVisitorMessage(first.conversationId, { text: 'и ещё вопрос', clientMessageId: randomUUID() }, 12))!.message;
    const hooked = await visitorMessage(store, `decided-hooked-${randomUUID()}`, { channel: 'REST', webhookUrl: 'http://127.0.0.1:9/hook' });
    const others = await Promise.all(Array.from({ length: 4 }, (_, i) => visitorMessage(store, `decided-beside-${i}-${randomUUID()}`)));

    counter.statements = 0;
    const at = new Date();
    const leaseUntil = new Date(at.getTime() + 30_000);
    const [behind, withHook, ...beside] = await Promise.all(
      [second, hooked, ...others].map((m, i) => store.applyDecision({ ...decision(m, `ответ ${i}`, at), deliverNow: { webhook: { leaseUntil } } })),
    );
    // Written together (all arrived at once): no row took the single statement.
    expect(counter.statements).toBe(1);
    expect(behind).toEqual({ decided: false });
    expect((await db.message.findUnique({ where: { id: second.id } }))?.category).toBeNull();
    expect(withHook).toMatchObject({ decided: true, delivered: { message: { seq: 2, text: 'ответ 1' }, webhookJobId: expect.any(String) } });
    expect(beside.every((a) => a.decided && a.delivered && a.delivered.webhookJobId === undefined)).toBe(true);
    const jobs = await db.webhookDelivery.findMany({ where: { message: { conversationId: hooked.conversationId } } });
    const reply = withHook?.decided ? withHook.delivered! : null;
    // As a delivery stores it: leased to this process, its payload built when sent.
    expect(jobs.map((j) => [j.id, j.messageId, j.url, j.payload, j.status, j.nextAttemptAt.getTime()])).toEqual([
      [reply!.webhookJobId, reply!.message.id, 'http://127.0.0.1:9/hook', null, 'PENDING', leaseUntil.getTime()],
    ]);

    // Once the first is decided, the second is, after the first's reply.
    expect(await store.applyDecision(decision(first, 'первый ответ'))).toMatchObject({ decided: true });
    expect(await store.applyDecision(decision(second, 'второй ответ'))).toMatchObject({ decided: true, delivered: { message: { seq: 4 } } });
  });

  it('write a Telegram reply with its call: leased to this process, stored FAILED for a blocked chat, left due behind a pending call of its chat', async () => {
    const { store, counter, db } = counting();
    const chat = () => String(Math.floor(Math.random() * 1e12));
    const [free, blocked, queued, widget] = await Promise.all([
      visitorMessage(store, `decided-tg-free-${randomUUID()}`, { channel: 'TELEGRAM', chatId: chat() }),
      visitorMessage(store, `decided-tg-blocked-${randomUUID()}`, { channel: 'TELEGRAM', chatId: chat() }),
      visitorMessage(store, `decided-tg-queued-${randomUUID()}`, { channel: 'TELEGRAM', chatId: chat() }),
      visitorMessage(store, `decided-tg-widget-${randomUUID()}`),
    ]);
    await db.conversation.update({ where: { id: blocked!.conversationId }, data: { deliveryBlockedAt: new Date() } });
    const queuedChat = (await db.conversation.findUnique({ where: { id: queued!.conversationId } }))!;
    const earlier = await db.telegramCall.create({
      data: { siteId: queuedChat.siteId, conversationId: queuedChat.id, key: `test:${randomUUID()}`, method: 'sendMessage', payload: { chat_id: queuedChat.chatId, text: 'раньше' } },
    });

    counter.statements = 0;
    const at = new Date();
    const leaseUntil = new Date(at.getTime() + 30_000);
    const deliverNow = { telegram: { leaseUntil }, webhook: { leaseUntil } };
    const applied = await Promise.all([free, blocked, queued, widget].map((m, i) => store.applyDecision({ ...decision(m!, `ответ ${i}`, at), deliverNow })));
    expect(counter.statements).toBe(1);
    const [a, b, c, w] = applied.map((x) => (x.decided ? x.delivered! : null));
    const call = (m: typeof a, chatId: string | null, text: string, attemptNow: boolean) => ({
      telegramCall: { job: { key: `msg:${m!.message.id}`, conversationId: m!.conversation.id, method: 'sendMessage', payload: { chat_id: chatId, text }, attempts: 0 }, attemptNow },
    });
    expect(a).toMatchObject(call(a, a!.conversation.chatId, 'ответ 0', true));
    expect(b).toMatchObject(call(b, b!.conversation.chatId, 'ответ 1', false));
    expect(c).toMatchObject(call(c, queuedChat.chatId, 'ответ 2', false));
    expect(w!.telegramCall).toBeUndefined();

    const stored = await db.telegramCall.findMany({ where: { conversationId: { in: [free!.conversationId, blocked!.conversationId, queued!.conversationId] } } });
    const byId = new Map(stored.map((s) => [s.id, s]));
    expect(byId.get(a!.telegramCall!.job.id)).toMatchObject({ status: 'PENDING', nextAttemptAt: leaseUntil, lastError: null });
    expect(byId.get(b!.telegramCall!.job.id)).toMatchObject({ status: 'FAILED', lastError: 'the user blocked the bot' });
    // Behind the chat's pending call: due at once for the sweep, which sends the chat's oldest first.
    expect(byId.get(c!.telegramCall!.job.id)).toMatchObject({ status: 'PENDING', nextAttemptAt: at });
    expect(byId.get(earlier.id)).toMatchObject({ status: 'PENDING' });
    expect(stored).toHaveLength(4);
  });

  it('write the call of a second conversation of one chat behind the first one\'s', async () => {
    const { store, counter, db } = counting();
    const chatId = String(Math.floor(Math.random() * 1e12));
    const first = await visitorMessage(store, `decided-tg-one-${randomUUID()}`, { channel: 'TELEGRAM', chatId });
    const second = await visitorMessage(store, `decided-tg-two-${randomUUID()}`, { channel: 'TELEGRAM', chatId });
    expect(second.conversationId).not.toBe(first.conversationId);
    const at = new Date();
    const leaseUntil = new Date(at.getTime() + 30_000);
    const deliverNow = { telegram: { leaseUntil }, webhook: { leaseUntil } };
    counter.statements = 0;
    const [a, b] = await Promise.all([first, second].map((m, i) => store.applyDecision({ ...decision(m, `ответ ${i}`, at), deliverNow })));
    // The batch wrote the first; the second took the single statement after it.
    expect(counter.statements).toBe(2);
    expect(a).toMatchObject({ decided: true, delivered: { telegramCall: { attemptNow: true } } });
    expect(b).toMatchObject({ decided: true, delivered: { telegramCall: { attemptNow: false } } });
    expect(await db.telegramCall.count({ where: { conversationId: { in: [first.conversationId, second.conversationId] }, status: 'PENDING' } })).toBe(2);
  });

  it('escalate, plan and cancel as alone: each conversation as its own decision left it', async () => {
    const { store, db } = counting();
    const [escalated, planned, silenced, ...rest] = await Promise.all(Array.from({ length: 5 }, (_, i) => visitorMessage(store, `decided-kinds-${i}-${randomUUID()}`)));
    // The third conversation has a reply planned, which its next decision (an operator has it) cancels.
    const later = new Date(Date.now() + 60_000);
    const plan = { ...decision(silenced!, 'позже'), deliverNow: undefined, reply: { text: 'позже', category: 'BILLING', templateKey: null, sources: null, typingAt: later, dueAt: later } };
    expect(await store.applyDecision(plan)).toMatchObject({ decided: true, replyId: expect.any(String) });
    const next = (await store.appendVisitorMessage(silenced!.conversationId, { text: 'алло', clientMessageId: randomUUID() }, 12))!.message;

    const [a, b, c, ...others] = await Promise.all([
      store.applyDecision({ ...decision(escalated!, 'зову оператора'), escalate: { priority: 'HIGH', reason: 'complaint' }, intent: { category: 'COMPLAINT', confidence: 0.8 } }),
      store.applyDecision({ ...decision(planned!, 'скоро'), deliverNow: undefined, reply: { text: 'скоро', category: 'BILLING', templateKey: null, sources: null, typingAt: later, dueAt: later } }),
      store.applyDecision({ ...decision(next, ''), reply: null, cancelIfNoReply: true, deliverNow: undefined }),
      ...rest.map((m) => store.applyDecision(decision(m, 'ответ'))),
    ]);
    expect(a).toMatchObject({ decided: true, escalated: true, status: 'WAITING', priority: 'HIGH', escalationReason: 'complaint', delivered: { message: { seq: 2, text: 'зову оператора' } } });
    expect(await db.conversation.findUnique({ where: { id: escalated!.conversationId }, select: { status: true, priority: true, intent: true, escalatedAt: true } })).toMatchObject({ status: 'WAITING', priority: 'HIGH', intent: 'COMPLAINT', escalatedAt: expect.any(Date) });
    expect(b).toMatchObject({ decided: true, escalated: false, delivered: null, replyId: expect.any(String) });
    expect(await db.pendingReply.findMany({ where: { conversationId: planned!.conversationId }, select: { status: true, inReplyTo: true } })).toEqual([{ status: 'PENDING', inReplyTo: planned!.id }]);
    expect(c).toMatchObject({ decided: true, cancelled: 1, replyId: null, delivered: null });
    expect(await db.pendingReply.findMany({ where: { conversationId: silenced!.conversationId }, select: { status: true } })).toEqual([{ status: 'CANCELLED' }]);
    expect(others.every((o) => o.decided)).toBe(true);
  });

  // Needs a second session writing at the same time: Postgres only (the embedded one has one session).
  it.runIf(mode === 'postgres+redis')('take the single path for a reply whose seq a visitor message took meanwhile, the batch\'s other rows written', async () => {
    const { store, db } = counting();
    const messages = await Promise.all(Array.from({ length: 4 }, (_, i) => visitorMessage(store, `decided-race-${i}-${randomUUID()}`)));
    const raced = messages[0]!;
    // A visitor message holds seq 2 of the first conversation, not yet committed, when the batch runs.
    const other = await openSql(server.config.DATABASE_URL!);
    const watch = await openSql(server.config.DATABASE_URL!);
    try {
      await other.query('BEGIN');
      await other.query(`INSERT INTO "Message" ("id", "conversationId", "seq", "author", "text") VALUES ($1, $2, 2, 'VISITOR', 'я тут')`, [randomUUID(), raced.conversationId]);
      const applying = Promise.all(messages.map((m, i) => store.applyDecision(decision(m, `ответ ${i}`))));
      // The batch waits for that insert's seq; once it commits, the batch skips that reply.
      for (;;) {
        const [waiting] = await watch.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (waiting!.n > 0) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await other.query('COMMIT');
      const applied = await applying;
      expect(applied.every((a) => a.decided)).toBe(true);
      const stored = await db.message.findMany({ where: { conversationId: { in: messages.map((m) => m.conversationId) } }, orderBy: [{ conversationId: 'asc' }, { seq: 'asc' }] });
      expect(stored.filter((m) => m.conversationId === raced.conversationId).map((m) => [m.seq, m.author])).toEqual([[1, 'VISITOR'], [2, 'VISITOR'], [3, 'BOT']]);
      for (const m of messages.slice(1)) expect(stored.filter((s) => s.conversationId === m.conversationId).map((s) => [s.seq, s.author])).toEqual([[1, 'VISITOR'], [2, 'BOT']]);
      expect(stored.filter((m) => m.author === 'BOT')).toHaveLength(4);
    } finally {
      await other.end();
      await watch.end();
    }
  });
});
