import { randomUUID } from 'node:crypto';
import type { Ack, SentMessage } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatedLlm } from './support/gated-llm.ts';
import { claimStorage, openSql, spawnServer, type ServerProcess } from './support/server-process.ts';
import { connected, visitorSocket, waitFor } from './support/test-server.ts';

// Process A stores and acks visitor messages, then hangs while classifying them (its LLM never
// answers) and is SIGKILLed: nothing of theirs is decided. Process B, which never saw them, must
// decide every one exactly once, each conversation in sequence order — so a three-message burst
// ends with one reply, to the latest message, not a late decision of an older one cancelling it.
describe('messages left undecided by a SIGKILLed process (postgres+redis, two processes)', () => {
  const llm = new GatedLlm();
  let env: Record<string, string>;
  let a: ServerProcess | null = null;
  let b: ServerProcess | null = null;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    await llm.start();
    // The reply to an older message of a burst is cancelled when the next one is decided: the delay
    // must outlast the sweep deciding the burst on a loaded machine (1 s did not, at load ~9).
    const storage = await claimStorage({ DELAYS_ENABLED: 'true', RESPONSE_DELAY_SECONDS: '4', TYPING_MAX_SECONDS: '0.2', PACING_JITTER: '0' });
    env = storage.env;
    cleanup = storage.release;
  });
  afterAll(async () => {
    await Promise.all([a?.kill('SIGKILL'), b?.kill('SIGTERM')]);
    await llm.stop();
    await cleanup?.();
  });

  // Waits on stored state throughout; the timeout is only a safety net for a loaded machine (the
  // sweep waits 5 s before it takes a message over, then the replies their 4 s).
  it('are decided by the surviving process, once each, in order', { timeout: 120_000 }, async () => {
    [a, b] = await Promise.all([
      spawnServer({ ...env, OPENAI_API_KEY: 'sk-test', OPENAI_API_BASE: llm.baseURL, AI_CLASSIFICATION_TIMEOUT: '60' }, { name: 'A' }),
      spawnServer(env, { name: 'B' }),
    ]);
    const sql = await openSql(env.DATABASE_URL!);
    try {
      const bursts = [
        ['Привет', 'Сколько стоит тариф 500 мегабит?', 'И можно ли оплатить картой?'],
        ['Здравствуйте', 'Как сменить пароль от личного кабинета?', 'Спасибо!'],
        ['Добрый день', 'Хочу узнать про подключение', 'Какие есть тарифы?'],
      ];
      const sent: SentMessage[][] = [];
      for (const texts of bursts) {
        const socket = visitorSocket(a.url);
        await connected(socket);
        const acks: SentMessage[] = [];
        for (const text of texts) {
          const ack: Ack<SentMessage> = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text });
          if (!ack.ok) throw new Error(ack.error.message);
          acks.push(ack.data);
        }
        sent.push(acks);
        socket.disconnect();
      }
      // A is classifying the first message of each conversation (the rest wait behind it).
      await waitFor(() => llm.waiting >= bursts.length, 15_000);
      expect(await a.kill('SIGKILL')).toBeNull();
      a = null;

      const ids = sent.flat().map((m) => m.id);
      const undecided = async () =>
        (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "Message" WHERE id = ANY($1) AND category IS NULL', [ids]))[0]!.n;
      expect(await undecided()).toBe(ids.length);

      await waitFor(async () => (await undecided()) === 0, 30_000);
      for (const burst of sent) {
        const latest = burst.at(-1)!;
        // One bot message in the conversation, delivered for the latest message of the burst.
        const bots = await waitFor(async () => {
          const rows = await sql.query<{ id: string }>(`SELECT id FROM "Message" WHERE "conversationId" = $1 AND author = 'BOT'`, [latest.conversationId]);
          return rows.length > 0 && rows;
        }, 15_000);
        const plans = await sql.query<{ inReplyTo: string; status: string; messageId: string | null }>(
          `SELECT "inReplyTo", status, "messageId" FROM "PendingReply" WHERE "conversationId" = $1`,
          [latest.conversationId],
        );
        expect(plans.filter((p) => p.status === 'DELIVERED')).toEqual([{ inReplyTo: latest.id, status: 'DELIVERED', messageId: bots[0]!.id }]);
        expect(plans.filter((p) => p.status === 'PENDING')).toEqual([]);
        // Decided once each: at most one plan per message.
        expect(new Set(plans.map((p) => p.inReplyTo)).size).toBe(plans.length);
      }
      // No second reply turns up once every plan is finished.
      const bots = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Message" WHERE author = 'BOT' AND "conversationId" = ANY($1)`, [sent.map((s) => s[0]!.conversationId)]);
      expect(bots[0]!.n).toBe(bursts.length);
      expect(b.output()).not.toMatch(/unhandled|uncaught/i);
    } finally {
      await sql.end();
    }
  });
});
