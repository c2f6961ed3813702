import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_MODES, startTestServer, waitFor, type TestServer } from './support/test-server.ts';

/** A real HTTP endpoint on loopback standing in for a platform's webhook. */
async function webhookReceiver(failFirst = 0) {
  const received: Array<{ headers: IncomingMessage['headers']; body: Record<string, unknown> }> = [];
  let failures = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      if (failures < failFirst) {
        failures++;
        res.writeHead(503).end();
        return;
      }
      received.push({ headers: req.headers, body: JSON.parse(raw) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(STORAGE_MODES)('HTTP contract (%s)', (mode) => {
  let server: TestServer;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/messages/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-platform': 'test', 'x-chat-id': 'chat-1', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    server = await startTestServer(mode, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
  });
  afterAll(() => server?.stop());

  it('reports health in the seeds\' shapes', async () => {
    const health = await (await fetch(`${server.url}/health`)).json();
    expect(health).toEqual({ status: 'ok', database: 'ok', redis: mode === 'embedded' ? 'unavailable' : 'ok' });
    expect(await (await fetch(`${server.url}/api/health/db`)).json()).toEqual({ status: 'ok', database: 'connected' });
  });

  it('answers POST /api/messages/ with classification, reply and escalation fields', async () => {
    const res = await post({ client_id: 'rest-client-1', content: 'Привет! Тестовое сообщение' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      is_first_message: true,
      classification: { category: 'GREETING', source: expect.stringMatching(/local|cache/) },
      response: { text: expect.any(String), deliver_at: expect.any(String) },
      escalated: false,
      priority: 'NORMAL',
    });
    expect(body.message_id).toMatch(/^[0-9a-f-]{36}$/);
    const second = await (await post({ client_id: 'rest-client-1', content: 'интернет не работает' })).json();
    expect(second.is_first_message).toBe(false);
    expect(second.conversation_id).toBe(body.conversation_id);
  });

  it('delivers the reply to X-Webhook-URL once, retrying a failing endpoint', async () => {
    const hook = await webhookReceiver(2);
    try {
      const res = await post({ client_id: 'rest-client-hook', content: 'спасибо, всё заработало', client_message_id: 'm-1' }, { 'x-webhook-url': hook.url });
      const body = await res.json();
      const delivered = await waitFor(() => hook.received[0], 15_000);
      expect(delivered.headers['x-message-id']).toBeTruthy();
      expect(delivered.body).toMatchObject({ chat_id: 'chat-1', platform: 'test', client_id: 'rest-client-hook', text: body.response.text, category: 'THANKS' });
      await new Promise((r) => setTimeout(r, 1500));
      expect(hook.received).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it('refuses webhook hosts that are not allowed (no SSRF)', async () => {
    const res = await post({ client_id: 'c', content: 'hi' }, { 'x-webhook-url': 'http://169.254.169.254/latest/meta-data' });
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe('webhook_not_allowed');
  });

  it('answers every error in one JSON shape', async () => {
    const malformed = await post('{"client_id": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });

    const huge = await post({ client_id: 'c', content: 'x'.repeat(1_100_000) });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('payload_too_large');

    const invalid = await post({ client_id: '', content: 'hello' });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).error.message).toMatch(/client_id/);

    const tooLong = await post({ client_id: 'c', content: 'x'.repeat(4001) });
    expect(tooLong.status).toBe(422);

    const missing = await fetch(`${server.url}/api/nope`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');

    // Without an API key only the demo site is served (from loopback, outside production): another site's key is no credential.
    const unknownSite = await post({ client_id: 'c', content: 'hi' }, { 'x-site-key': 'nope' });
    expect(unknownSite.status).toBe(401);
    expect((await unknownSite.json()).error.code).toBe('unauthorized');
  });

  it('counts conversations and messages per category in /api/monitoring/stats', async () => {
    const stats = await (await fetch(`${server.url}/api/monitoring/stats`)).json();
    expect(stats.conversations).toBeGreaterThanOrEqual(1);
    expect(stats.messages).toBeGreaterThanOrEqual(2);
    expect(stats.messagesByCategory.GREETING).toBeGreaterThanOrEqual(1);
    expect(stats.classification_cache).toMatchObject({ hits: expect.any(Number), misses: expect.any(Number) });
  });
});
