import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_MODES, startTestServer, waitFor, type TestServer } from './support/test-server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A platform webhook that answers 200, but only after `delayMs` (well within WEBHOOK_TIMEOUT_SECONDS). */
async function slowWebhook(delayMs: number) {
  const received: Array<{ at: number; headers: IncomingHttpHeaders; body: Record<string, unknown> }> = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      received.push({ at: Date.now(), headers: req.headers, body: JSON.parse(raw) });
      setTimeout(() => res.writeHead(200).end('ok'), delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

// Retries on timeouts and 5xx are covered by http-contract.test.ts; this is about a success that
// takes a while. The sweep (every 500 ms) once re-sent a delivery whose first POST was still in
// flight: 4–9 % of the bench's replies arrived twice (attempts are leased since 14142bd).
describe.each(STORAGE_MODES)('a reply posted to a slow webhook (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_TIMEOUT_SECONDS: '5' });
  });
  afterAll(() => server?.stop());

  it('is posted once when the platform takes a second to answer 200', async () => {
    const hook = await slowWebhook(1200);
    try {
      const res = await fetch(`${server.url}/api/messages/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-platform': 'test', 'x-webhook-url': hook.url },
        body: JSON.stringify({ client_id: `slow-hook-${mode}`, content: 'Сколько стоит тариф 500 мегабит?', client_message_id: 'm-1' }),
      });
      expect(res.status).toBe(200);
      await waitFor(() => hook.received[0], 10_000);
      await sleep(3000); // the first POST is answered after 1.2 s; any second one has been sent by now
      expect(hook.received.map((r) => r.headers['x-message-id'])).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it('is posted once when the platform answers at once', async () => {
    const hook = await slowWebhook(0);
    try {
      await fetch(`${server.url}/api/messages/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-platform': 'test', 'x-webhook-url': hook.url },
        body: JSON.stringify({ client_id: `fast-hook-${mode}`, content: 'Как оплатить счёт картой?', client_message_id: 'm-1' }),
      });
      await waitFor(() => hook.received[0], 10_000);
      await sleep(1500);
      expect(hook.received).toHaveLength(1);
      expect(hook.received[0]!.headers['x-message-id']).toBe(hook.received[0]!.body.message_id);
    } finally {
      await hook.close();
    }
  });
});
