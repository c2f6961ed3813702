import { randomUUID } from 'node:crypto';
import type { Ack, MessageDto, SentMessage } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../src/adapters/db/migrate.ts';
import { claimRedisDatabase, openSql, sleep, spawnServer, type ServerProcess } from './support/server-process.ts';
import { collect, connected, visitorSocket, waitFor, type VisitorClient } from './support/test-server.ts';

const N = 30;
const TEXTS = [
  'Сколько стоит тариф 500 мегабит?',
  'Не работает интернет, роутер мигает красным',
  'Как поменять пароль от личного кабинета?',
  'Как оплатить счёт картой?',
  'how much is the 1 gig plan',
  'how do I change my account email',
];

async function send(socket: VisitorClient, text: string): Promise<SentMessage> {
  const ack: Ack<SentMessage> = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text });
  if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
  return ack.data;
}

interface Visitor {
  socket: VisitorClient;
  live: MessageDto[];
  on: 'A' | 'B';
  sent?: SentMessage;
}

describe('two server processes on one Postgres and one Redis', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let db: Awaited<ReturnType<typeof openSql>>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const [database, claimed] = await Promise.all([createTestDatabase(), claimRedisDatabase()]);
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: claimed.url,
      DELAYS_ENABLED: 'true',
      RESPONSE_DELAY_SECONDS: '2',
      TYPING_MAX_SECONDS: '0.3',
      PACING_JITTER: '0',
    };
    a = await spawnServer(env, { name: 'A' }); // migrates the fresh database first
    b = await spawnServer(env, { name: 'B' });
    db = await openSql(database.url);
    cleanup = async () => {
      await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
      await db?.end();
      await claimed.release();
      await database.drop();
    };
  });
  afterAll(() => cleanup?.());

  async function connect(count: number, spread: (i: number) => 'A' | 'B'): Promise<Visitor[]> {
    const visitors = Array.from({ length: count }, (_, i) => {
      const on = spread(i);
      const socket = visitorSocket((on === 'A' ? a : b).url);
      return { socket, live: collect<MessageDto>(socket, 'message:new'), on };
    });
    await Promise.all(visitors.map((v) => connected(v.socket)));
    return visitors;
  }

  const botReplies = (v: Visitor) => v.live.filter((m) => m.author === 'bot');

  it(`answers each of ${N} conversations spread over both processes exactly once`, async () => {
    const visitors = await connect(N, (i) => (i % 2 === 0 ? 'A' : 'B'));
    await Promise.all(visitors.map(async (v, i) => (v.sent = await send(v.socket, TEXTS[i % TEXTS.length]!))));

    await waitFor(() => visitors.every((v) => botReplies(v).length > 0), 20_000, 100);
    await sleep(1500); // a second delivery by the other process would land by now

    for (const v of visitors) {
      expect(botReplies(v)).toHaveLength(1);
      const history = await v.socket.emitWithAck('history:since', { afterSeq: 0 });
      expect(history.ok && history.data.messages.map((m) => [m.seq, m.author])).toEqual([
        [1, 'visitor'],
        [2, 'bot'],
      ]);
    }
    const ids = visitors.map((v) => v.sent!.conversationId);
    const replies = await db.query<{ status: string; n: number }>(
      'SELECT status::text, count(*)::int AS n FROM "PendingReply" WHERE "conversationId" = ANY($1) GROUP BY status',
      [ids],
    );
    expect(replies).toEqual([{ status: 'DELIVERED', n: N }]);
    const bots = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Message" WHERE author = 'BOT' AND "conversationId" = ANY($1)`, [ids]);
    expect(bots[0]!.n).toBe(N);
    visitors.forEach((v) => v.socket.disconnect());
  });

  it('delivers live to a widget on A a reply that B delivered', async () => {
    const visitors = await connect(5, () => 'A');
    const disconnects = visitors.map((v) => collect(v.socket, 'disconnect'));
    await Promise.all(visitors.map(async (v, i) => (v.sent = await send(v.socket, TEXTS[i]!))));

    // A planned every reply (stored, PENDING) …
    const replyIds = await waitFor(async () => {
      const rows = await db.query<{ id: string }>(
        `SELECT id FROM "PendingReply" WHERE status = 'PENDING' AND "inReplyTo" = ANY($1)`,
        [visitors.map((v) => v.sent!.id)],
      );
      return rows.length === visitors.length && rows.map((r) => r.id);
    });

    // … then freezes before they are due: only B can deliver them (its overdue poll).
    a.pause();
    try {
      await waitFor(async () => {
        const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "PendingReply" WHERE status = 'DELIVERED' AND id = ANY($1)`, [replyIds]);
        return rows[0]!.n === replyIds.length;
      }, 20_000, 100);
      expect(visitors.flatMap(botReplies)).toEqual([]); // A could not have sent anything
    } finally {
      a.resume();
    }

    // B's broadcasts reach A's sockets through the Redis adapter: live, without a reconnect.
    await waitFor(() => visitors.every((v) => botReplies(v).length > 0), 10_000);
    await sleep(1000);
    for (const v of visitors) {
      expect(botReplies(v).map((m) => [m.seq, m.conversationId])).toEqual([[2, v.sent!.conversationId]]);
    }
    expect(disconnects.flat()).toEqual([]);
    visitors.forEach((v) => v.socket.disconnect());
  });
});
