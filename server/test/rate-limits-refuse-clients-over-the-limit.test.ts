/**
 * Rate limits as a client meets them: REST per client IP (429, Retry-After, the JSON error shape),
 * widget messages per visitor (a `rate_limited` ack), and whose IP counts: X-Forwarded-For only
 * behind a trusted proxy (TRUST_PROXY), so a spoofed header dodges nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Ack, SentMessage } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, startTestServer, STORAGE_MODES, visitorSocket, type TestServer } from './support/test-server.ts';

const PER_MINUTE = 3;
const LIMITED = { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_PER_MINUTE: String(PER_MINUTE), RATE_LIMIT_MESSAGE_PER_MINUTE: '2' };

function postMessage(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/api/messages/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ client_id: `client-${randomUUID()}`, content: 'Здравствуйте, какие у вас тарифы?' }),
  });
}

async function statuses(url: string, count: number, headers: (i: number) => Record<string, string> = () => ({})): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await postMessage(url, headers(i))).status);
  return seen;
}

describe.each(STORAGE_MODES)('rate limits (%s)', (mode) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(mode, LIMITED);
  });
  afterAll(() => server?.stop());

  it('answers 429 with Retry-After in the JSON error shape once an IP is over RATE_LIMIT_PER_MINUTE', async () => {
    expect(await statuses(server.url, PER_MINUTE)).toEqual([200, 200, 200]);
    const refused = await postMessage(server.url);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refused.json()).toEqual({ error: { code: 'rate_limited', message: 'Too many requests, slow down' } });
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: a spoofed address is still the same client', async () => {
    // The previous test spent this IP's minute: fresh spoofed addresses do not buy new ones.
    expect(await statuses(server.url, 2, (i) => ({ 'x-forwarded-for': `203.0.113.${i + 1}` }))).toEqual([429, 429]);
  });

  it('answers a visitor over RATE_LIMIT_MESSAGE_PER_MINUTE with a rate_limited ack', async () => {
    const socket = visitorSocket(server.url);
    await connected(socket);
    const send = () => socket.timeout(10_000).emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Привет' }) as Promise<Ack<SentMessage>>;
    const acks = [await send(), await send(), await send()];
    socket.disconnect();
    expect(acks.map((a) => a.ok)).toEqual([true, true, false]);
    // The ack says when to try again, for the widget to show.
    expect(acks[2]).toEqual({ ok: false, error: { code: 'rate_limited', message: expect.stringMatching(/^Too many messages: try again in \d+ s$/), retryAfterSeconds: expect.any(Number) } });
  });
});

describe('rate limits behind a trusted proxy (TRUST_PROXY=true)', () => {
  let server: TestServer;
  // Forwarded clients are not this machine: they need the site's API key even in development.
  let authorization = '';
  beforeAll(async () => {
    server = await startTestServer('embedded', { ...LIMITED, TRUST_PROXY: 'true' });
    const demo = (await server.services.store.findSiteByKey('demo'))!;
    authorization = `Bearer ${(await server.services.apiKeys.create(demo.id, 'proxied clients')).key}`;
  });
  afterAll(() => server?.stop());

  it('limits each client named by X-Forwarded-For separately', async () => {
    const anna = { 'x-forwarded-for': '198.51.100.10', authorization };
    const boris = { 'x-forwarded-for': '198.51.100.20', authorization };
    expect(await statuses(server.url, PER_MINUTE + 1, () => anna)).toEqual([200, 200, 200, 429]);
    expect(await statuses(server.url, PER_MINUTE + 1, () => boris)).toEqual([200, 200, 200, 429]);
  });

  it('counts the address the proxy appended, not one the client wrote before it', async () => {
    const spoofing = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i + 1}, 198.51.100.30`, authorization });
    expect(await statuses(server.url, PER_MINUTE + 1, spoofing)).toEqual([200, 200, 200, 429]);
  });
});
