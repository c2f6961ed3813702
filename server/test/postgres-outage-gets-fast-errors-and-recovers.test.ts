/**
 * Postgres cut off for 15 s under visitor traffic (issue 8): every send is answered with an
 * explicit, retryable error within 5 s, /health and REST say 503 within 5 s, nothing rejects
 * unhandled; after the cut heals, without a restart, what was acked before it is answered once
 * and new messages work. The cut is a blackhole (a partition: nothing refused, nothing answered),
 * the harder case for timeouts than a refused connection.
 */
import { randomUUID } from 'node:crypto';
import type { Ack, MessageDto, SentMessage } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../src/adapters/db/migrate.ts';
import { openSql } from './support/server-process.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { collect, connected, startTestServer, visitorSocket, waitFor, type TestServer, type VisitorClient } from './support/test-server.ts';

/** The outage is this test's input: long enough for every pg timeout to fire several times. */
const OUTAGE_MS = 15_000;
/** The bound for an explicit error (socket ack, /health, REST) while Postgres is down. */
const ERROR_WITHIN_MS = 5_000;

// Different, understood requests (no repeat, no outage report), so no rule escalates or opens an incident.
const BEFORE_CUT = ['Сколько стоит тариф 500 мегабит?', 'Как поменять пароль от личного кабинета?', 'Как оплатить интернет картой?'];

describe('Postgres cut off for 15 s (postgres, memory cache)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let proxy: TcpProxy;
  let server: TestServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    database = await createTestDatabase();
    const target = new URL(database.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    target.port = String(proxy.port);
    // Short delays, so replies planned before the cut fall due while Postgres is away.
    server = await startTestServer('embedded', {
      DATABASE_URL: target.toString(),
      DELAYS_ENABLED: 'true',
      RESPONSE_DELAY_SECONDS: '1',
      TYPING_MAX_SECONDS: '1',
      PACING_JITTER: '0',
    });
  });

  afterAll(async () => {
    proxy?.restore();
    await server?.stop();
    await proxy?.close();
    await database?.drop();
    process.off('unhandledRejection', onUnhandled);
  });

  const send = (socket: VisitorClient, text: string, clientMessageId = randomUUID()): Promise<Ack<SentMessage>> =>
    socket.timeout(ERROR_WITHIN_MS).emitWithAck('message:send', { clientMessageId, text });

  const fetchWithin = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, signal: AbortSignal.timeout(ERROR_WITHIN_MS) });

  it('answers every send with a retryable error while cut, then answers what was acked once and serves new messages', async () => {
    const visitors = BEFORE_CUT.map(() => visitorSocket(server.url));
    const late = visitorSocket(server.url); // writes only during and after the outage
    const live = new Map([...visitors, late].map((s) => [s, collect<MessageDto>(s, 'message:new')]));
    await Promise.all([...visitors, late].map(connected));

    const acked: SentMessage[] = [];
    for (const [i, socket] of visitors.entries()) {
      const ack = await send(socket, BEFORE_CUT[i]!);
      if (!ack.ok) throw new Error(`send before the cut failed: ${ack.error.code}`);
      acked.push(ack.data);
    }

    proxy.cut('blackhole');
    const cutAt = Date.now();
    const refused: string[] = [];
    let rounds = 0;
    while (Date.now() - cutAt < OUTAGE_MS) {
      rounds++;
      const ids = [...visitors, late].map(() => randomUUID());
      const [acks, health, rest] = await Promise.all([
        Promise.all([...visitors, late].map((s, i) => send(s, `Ещё вопрос, попытка ${rounds}`, ids[i]))),
        fetchWithin('/health'),
        fetchWithin('/api/messages/', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ client_id: 'rest-client-1', content: 'Есть кто-нибудь?' }),
        }),
      ]);
      for (const ack of acks) expect(ack).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      refused.push(...ids);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ database: 'error' });
      expect(rest.status).toBe(503);
      expect(rest.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await rest.json()).toMatchObject({ error: { code: 'unavailable' } });
    }
    proxy.restore();

    // Recovery without a restart: a new message is stored and answered. The pool may still hand
    // out a connection the cut left dead, and that send is refused as `unavailable` like any other
    // in the outage; the widget sends it again with the same client id, and so does this test.
    const retryId = randomUUID();
    let after = await send(late, 'Как подключить роутер?', retryId);
    for (const retryUntil = Date.now() + 10_000; !after.ok && Date.now() < retryUntil; ) {
      expect(after).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      await new Promise((resolve) => setTimeout(resolve, 200)); // the widget's retry back-off
      after = await send(late, 'Как подключить роутер?', retryId);
    }
    expect(after).toMatchObject({ ok: true });
    const lateReplies = live.get(late)!;
    await waitFor(() => lateReplies.some((m) => m.author === 'bot'), 20_000);

    // Everything acked before the cut is answered.
    await waitFor(() => visitors.every((s) => live.get(s)!.some((m) => m.author === 'bot')), 30_000);

    const sql = await openSql(database.url);
    try {
      const stored = await sql.query<{ id: string }>(`SELECT id FROM "Message" WHERE id = ANY($1)`, [acked.map((m) => m.id)]);
      expect(stored).toHaveLength(acked.length);
      // What was refused was never stored, so it can never be answered.
      const leaked = await sql.query(`SELECT id FROM "Message" WHERE "clientMessageId" = ANY($1)`, [refused]);
      expect(leaked).toEqual([]);
      // Exactly one reply each, and nothing still waiting to go out twice.
      const replies = await sql.query<{ conversationId: string; bots: number; pending: number }>(
        `SELECT c.id AS "conversationId",
                (SELECT count(*)::int FROM "Message" m WHERE m."conversationId" = c.id AND m.author = 'BOT') AS bots,
                (SELECT count(*)::int FROM "PendingReply" p WHERE p."conversationId" = c.id AND p.status = 'PENDING') AS pending
           FROM "Conversation" c WHERE c.id = ANY($1)`,
        [acked.map((m) => m.conversationId)],
      );
      expect(replies.map((r) => ({ bots: r.bots, pending: r.pending }))).toEqual(acked.map(() => ({ bots: 1, pending: 0 })));
    } finally {
      await sql.end();
    }
    for (const socket of visitors) expect(live.get(socket)!.filter((m) => m.author === 'bot')).toHaveLength(1);

    expect(unhandled).toEqual([]);
    for (const socket of [...visitors, late]) socket.disconnect();
  }, 120_000);
});
