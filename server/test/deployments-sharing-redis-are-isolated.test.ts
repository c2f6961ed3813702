/**
 * Two deployments on one Redis (REDIS_PREFIX differs), each with its own database: operators of
 * one never receive the other's queue, and presence counts only their own operators.
 */
import { randomUUID } from 'node:crypto';
import type { QueueItem, SentMessage, Ack } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  connected,
  logInOperator,
  nextEvent,
  operatorSocket,
  startTestServer,
  visitorSocket,
  waitFor,
  type OperatorClient,
  type TestServer,
} from './support/test-server.ts';

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };

describe('deployments sharing one Redis', () => {
  let a: TestServer;
  let b: TestServer;
  let operatorA: OperatorClient;
  let operatorB: OperatorClient;

  beforeAll(async () => {
    const env = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
    [a, b] = await Promise.all([startTestServer('postgres+redis', env), startTestServer('postgres+redis', env)]);
    operatorA = operatorSocket(a.url, await logInOperator(a.url, ADMIN));
    operatorB = operatorSocket(b.url, await logInOperator(b.url, ADMIN));
    await Promise.all([connected(operatorA), connected(operatorB)]);
  });
  afterAll(async () => {
    operatorA?.disconnect();
    operatorB?.disconnect();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("never hear each other's queue, and count only their own operators online", async () => {
    const seenByA = collect<QueueItem>(operatorA, 'queue:upsert');
    const seenByB = collect<QueueItem>(operatorB, 'queue:upsert');
    const visitor = visitorSocket(b.url);
    const session = nextEvent<{ operatorsOnline: number }>(visitor, 'session');
    await connected(visitor);
    expect((await session).operatorsOnline).toBe(1);

    const sent = (await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'позовите оператора' })) as Ack<SentMessage>;
    if (!sent.ok) throw new Error(sent.error.message);
    await waitFor(() => seenByB.find((i) => i.conversationId === sent.data.conversationId));
    // A's operator got nothing from B (the same broadcast reached B's operator above).
    const list = await operatorA.timeout(10_000).emitWithAck('queue:list');
    expect(list.ok && list.data.items).toEqual([]);
    expect(seenByA).toEqual([]);
    visitor.disconnect();
  });
});
