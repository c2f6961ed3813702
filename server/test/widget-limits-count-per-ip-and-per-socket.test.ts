/**
 * Widget limits a client cannot dodge by rotating visitor ids: messages count per visitor AND per
 * client IP (RATE_LIMIT_IP_MESSAGE_PER_MINUTE), handshakes per IP, `typing` events per socket.
 * A refusal says when to try again (`retryAfterSeconds`, and in its message). Each test speaks
 * from its own client address (X-Forwarded-For behind TRUST_PROXY), so they do not share counts.
 */
import { randomUUID } from 'node:crypto';
import type { Ack, SentMessage } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDSHAKES_PER_IP_PER_MINUTE, TYPING_PER_SOCKET } from '../src/adapters/rate-limit/rate-limits.ts';
import { connected, startTestServer, STORAGE_MODES, visitorSocket, type TestServer, type VisitorClient } from './support/test-server.ts';

const PER_IP = 5;
const LIMITED = { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_MESSAGE_PER_MINUTE: '10', RATE_LIMIT_IP_MESSAGE_PER_MINUTE: String(PER_IP), TRUST_PROXY: 'true' };

type UntypedClient = { timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> } };

const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe.each(STORAGE_MODES)('widget limits per IP and per socket (%s)', (mode) => {
  let server: TestServer;
  const sockets: VisitorClient[] = [];
  const open = async (ip: string, auth: Record<string, unknown> = {}) => {
    const socket = visitorSocket(server.url, auth, from(ip));
    sockets.push(socket);
    await connected(socket);
    return socket;
  };

  beforeAll(async () => {
    server = await startTestServer(mode, LIMITED);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.stop();
  });

  it('counts messages per client IP whatever visitor id they come with', async () => {
    const rotating = await Promise.all([1, 2, 3, 4].map(() => open('198.51.100.1')));
    const acks: Ack<SentMessage>[] = [];
    for (let round = 0; round < 3; round++) {
      for (const socket of rotating) acks.push(await socket.timeout(10_000).emitWithAck('message:send', { clientMessageId: randomUUID(), text: `Привет ${round}` }));
    }
    expect(acks.filter((a) => a.ok)).toHaveLength(PER_IP);
    const refused = acks.filter((a): a is Extract<Ack<SentMessage>, { ok: false }> => !a.ok);
    expect(refused).toHaveLength(12 - PER_IP);
    for (const { error } of refused) {
      expect(error.code).toBe('rate_limited');
      expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect(error.message).toBe(`Too many messages: try again in ${error.retryAfterSeconds} s`);
    }
    // Another address is not held back by this one.
    const other = await open('198.51.100.2');
    expect((await other.timeout(10_000).emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Привет' })).ok).toBe(true);
  });

  it('refuses handshakes from one IP past its limit as rate_limited, other IPs still connect', { timeout: 60_000 }, async () => {
    const ip = '198.51.100.3';
    // Refused handshakes count too: a flood of bad ones is as costly to answer.
    for (let i = 0; i < HANDSHAKES_PER_IP_PER_MINUTE; i++) {
      const bad = visitorSocket(server.url, { visitorId: 'short' }, from(ip));
      await expect(connected(bad)).rejects.toThrow(/^invalid_handshake: /);
      bad.disconnect();
    }
    const refused = visitorSocket(server.url, {}, from(ip));
    await expect(connected(refused)).rejects.toThrow(/^rate_limited: Too many connections from this address: try again in \d+ s$/);
    refused.disconnect();
    await open('198.51.100.4');
  });

  it('drops typing events past the per-socket limit', async () => {
    const socket = await open('198.51.100.5');
    // All at once, well inside the limit's window; the server spends them in arrival order. The
    // widget sends typing without an ack; the server answers one when asked, which counts here.
    const typing = (s: VisitorClient, on: boolean) => (s as unknown as UntypedClient).timeout(10_000).emitWithAck('typing', { typing: on }) as Promise<Ack<null>>;
    const acks = await Promise.all(Array.from({ length: TYPING_PER_SOCKET.points + 10 }, (_, i) => typing(socket, i % 2 === 0)));
    expect(acks.slice(0, TYPING_PER_SOCKET.points).every((a) => a.ok)).toBe(true);
    expect(acks.slice(TYPING_PER_SOCKET.points).map((a) => a.ok === false && a.error.code)).toEqual(Array(10).fill('rate_limited'));
    // A fresh socket has its own allowance.
    const next = await open('198.51.100.5');
    expect((await typing(next, true)).ok).toBe(true);
  });
});
