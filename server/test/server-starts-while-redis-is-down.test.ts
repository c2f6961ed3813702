/**
 * REDIS_URL names a Redis that is not running when the server starts (issue 8): the server
 * starts anyway, says it is degraded on /health, and visitors chat (messages stored, replies
 * delivered); once Redis starts, the server attaches to it without a restart.
 */
import { randomUUID } from 'node:crypto';
import type { Ack, MessageDto, SentMessage } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.ts';
import { collect, connected, startTestServer, visitorSocket, waitFor, type TestServer } from './support/test-server.ts';

async function health(server: TestServer): Promise<{ status: number; body: { status: string; database: string; redis: string } }> {
  const res = await fetch(`${server.url}/health`);
  return { status: res.status, body: await res.json() };
}

describe('a server started while its Redis is down', () => {
  let redis: PrivateRedis;
  let server: TestServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    redis = await startPrivateRedis({ started: false });
    server = await startTestServer('postgres+redis', { REDIS_URL: redis.url });
  });

  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
    process.off('unhandledRejection', onUnhandled);
  });

  it('starts degraded, lets a visitor chat, and attaches to Redis once it starts', async () => {
    expect(await health(server)).toEqual({ status: 200, body: { status: 'degraded', database: 'ok', redis: 'unavailable' } });

    const visitor = visitorSocket(server.url);
    const live = collect<MessageDto>(visitor, 'message:new');
    await connected(visitor);
    const sent: Ack<SentMessage> = await visitor.timeout(10_000).emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Сколько стоит тариф 500 мегабит?' });
    expect(sent).toMatchObject({ ok: true });
    await waitFor(() => live.some((m) => m.author === 'bot'));

    await redis.start();
    await waitFor(async () => (await health(server)).body.redis === 'ok', 5_000, 100);
    expect(await health(server)).toEqual({ status: 200, body: { status: 'ok', database: 'ok', redis: 'ok' } });

    // The conversation goes on with Redis in use.
    const again: Ack<SentMessage> = await visitor.timeout(10_000).emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Как оплатить счёт картой?' });
    expect(again).toMatchObject({ ok: true });
    await waitFor(() => live.filter((m) => m.author === 'bot').length >= 2);
    visitor.disconnect();
    expect(unhandled).toEqual([]);
  });
});
