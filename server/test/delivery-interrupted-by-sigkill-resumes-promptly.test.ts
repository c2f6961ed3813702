import { randomUUID } from 'node:crypto';
import type { Ack, MessageDto, SentMessage } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimStorage, openSql, spawnServer, type ServerProcess } from './support/server-process.ts';
import { collect, connected, nextEvent, visitorSocket, waitFor } from './support/test-server.ts';

// A reply whose delivery was under way when the process was SIGKILLed (the statement sent, not
// committed) is delivered by the restarted process's overdue poll within seconds, exactly once
// (the store's PENDING → DELIVERED gate).
//
// Holding a row lock on the reply stands in for a slow delivery statement, so that the SIGKILL
// lands while the delivery is under way — deterministically.
describe('a reply whose delivery was under way when the server was SIGKILLed (postgres+redis)', () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    const storage = await claimStorage({ DELAYS_ENABLED: 'true', RESPONSE_DELAY_SECONDS: '1', TYPING_MAX_SECONDS: '0.2', PACING_JITTER: '0' });
    env = storage.env;
    cleanup = storage.release;
  });
  afterAll(async () => {
    await server?.kill('SIGKILL');
    await cleanup?.();
  });

  it('is delivered within seconds of the restart', async () => {
    server = await spawnServer(env, { name: 'before' });
    const sql = await openSql(env.DATABASE_URL!);
    try {
      const visitorId = `visitor-${randomUUID()}`;
      const socket = visitorSocket(server.url, { visitorId });
      await connected(socket);
      const ack: Ack<SentMessage> = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Сколько стоит тариф 500 мегабит?' });
      if (!ack.ok) throw new Error(ack.error.message);
      socket.disconnect();
      const replyId = await waitFor(async () => {
        const rows = await sql.query<{ id: string }>('SELECT id FROM "PendingReply" WHERE "inReplyTo" = $1', [ack.data.id]);
        return rows[0]?.id;
      });

      // The delivery starts when due and blocks on the row: under way, nothing committed.
      await sql.query('BEGIN');
      await sql.query('SELECT id FROM "PendingReply" WHERE id = $1 FOR UPDATE', [replyId]);
      const blocked = await openSql(env.DATABASE_URL!);
      try {
        await waitFor(async () => {
          const rows = await blocked.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%"PendingReply"%'`,
          );
          return rows[0]!.n > 0;
        }, 10_000);
      } finally {
        await blocked.end();
      }
      await server.kill('SIGKILL');
      await sql.query('ROLLBACK');

      server = await spawnServer(env, { name: 'after' });
      const restartedAt = Date.now();
      const again = visitorSocket(server.url, { visitorId, conversationId: ack.data.conversationId, lastSeq: ack.data.seq });
      const live = collect<MessageDto>(again, 'message:new');
      const history = nextEvent<{ messages: MessageDto[] }>(again, 'history');
      await connected(again);
      const missed = (await history).messages;
      const reply = await waitFor(() => missed.find((m) => m.author === 'bot') ?? live.find((m) => m.author === 'bot'), 15_000).catch(() => null);
      again.disconnect();
      expect(reply, `no reply ${Math.round((Date.now() - restartedAt) / 1000)} s after the restart`).not.toBeNull();
    } finally {
      await sql.end();
    }
    // Two server starts: about 9 s each on a machine at load 11 (the reply's own bound is the 15 s above).
  }, 120_000);
});
