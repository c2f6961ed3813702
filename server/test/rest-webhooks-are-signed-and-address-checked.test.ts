import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newWebhookSecret } from '../src/adapters/webhook/standard-webhook-signature.ts';
import { STORAGE_MODES, startTestServer, waitFor, type TestServer } from './support/test-server.ts';

/** A platform's webhook on loopback: keeps each request's raw body and headers, answers 503 `failFirst` times. */
async function webhookReceiver(failFirst = 0) {
  const received: Array<{ headers: IncomingHttpHeaders; raw: string; status: number }> = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const status = received.length < failFirst ? 503 : 200;
      received.push({ headers: req.headers, raw, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { port, url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The seeded site the REST calls speak for. */
const SITE = 'demo';

const signed = (headers: IncomingHttpHeaders) => ({
  'webhook-id': String(headers['webhook-id']),
  'webhook-timestamp': String(headers['webhook-timestamp']),
  'webhook-signature': String(headers['webhook-signature']),
});

describe.each(STORAGE_MODES)('webhooks of the REST channel (%s)', (mode) => {
  let server: TestServer;
  const post = (clientId: string, content: string, webhookUrl: string) =>
    fetch(`${server.url}/api/messages/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-site-key': SITE, 'x-platform': 'test', 'x-webhook-url': webhookUrl },
      body: JSON.stringify({ client_id: clientId, content }),
    });

  beforeAll(async () => {
    // `127.0.0.1` is the receiver's address, listed as such; `localhost` is a name, so it must resolve to public addresses.
    server = await startTestServer(mode, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1,localhost' });
  });
  afterAll(() => server?.stop());

  it('signs every attempt so a Standard Webhooks library verifies it, with one webhook-id across retries', async () => {
    const hook = await webhookReceiver(1);
    try {
      expect((await post(`signed-${mode}`, 'спасибо, всё заработало', hook.url)).status).toBe(200);
      await waitFor(() => hook.received.length >= 2, 20_000);
      const secret = (await server.services.webhookSecrets.forSite(SITE, false))!;
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      const [failed, delivered] = hook.received as [(typeof hook.received)[0], (typeof hook.received)[0]];
      for (const attempt of [failed, delivered]) {
        expect(new Webhook(secret).verify(attempt.raw, signed(attempt.headers))).toEqual(JSON.parse(attempt.raw));
      }
      expect(delivered.headers['webhook-id']).toBe(failed.headers['webhook-id']);
      expect(delivered.headers['webhook-id']).toBe(delivered.headers['x-message-id']);
      expect(delivered.headers['webhook-id']).toBe(JSON.parse(delivered.raw).message_id);

      const tampered = delivered.raw.replace('"author":"bot"', '"author":"operator"');
      expect(tampered).not.toBe(delivered.raw);
      expect(() => new Webhook(secret).verify(tampered, signed(delivered.headers))).toThrow();
      expect(() => new Webhook(newWebhookSecret()).verify(delivered.raw, signed(delivered.headers))).toThrow();
    } finally {
      await hook.close();
    }
  });

  it('sends a reply whose process stopped right after delivering it: the delivery stored its webhook job', async () => {
    const hook = await webhookReceiver();
    try {
      const clientId = `crash-${mode}`;
      const first = (await (await post(clientId, 'привет', hook.url)).json()) as { conversation_id: string };
      await waitFor(() => hook.received.length >= 1, 20_000);
      const { store } = server.services;
      // A reply planned for later (the server's own timers and poll leave it alone), delivered here
      // by the statement alone — as if its process died before sending anything.
      const planned = await store['db'].pendingReply.create({
        data: { conversationId: first.conversation_id, text: 'Ответ, который не успели отправить', category: 'BILLING', typingAt: new Date(), dueAt: new Date(Date.now() + 600_000) },
      });
      const delivered = await store.deliverReply(planned.id, new Date(), undefined, { leaseUntil: new Date() });
      expect(delivered?.webhookJobId).toEqual(expect.any(String));

      await waitFor(() => hook.received.some((r) => JSON.parse(r.raw).message_id === delivered!.message.id), 20_000);
      const sent = JSON.parse(hook.received.find((r) => JSON.parse(r.raw).message_id === delivered!.message.id)!.raw);
      expect(sent).toMatchObject({ text: 'Ответ, который не успели отправить', author: 'bot', client_id: clientId, platform: 'test' });
    } finally {
      await hook.close();
    }
  });

  it('signs with the new key once an admin rotates it', async () => {
    const hook = await webhookReceiver();
    try {
      const old = (await server.services.webhookSecrets.forSite(SITE, false))!;
      const rotated = (await server.services.webhookSecrets.forSite(SITE, true))!;
      expect(rotated).not.toBe(old);
      await post(`rotated-${mode}`, 'Как оплатить счёт картой?', hook.url);
      const [delivery] = await waitFor(() => hook.received.length > 0 && hook.received, 20_000);
      expect(() => new Webhook(rotated).verify(delivery!.raw, signed(delivery!.headers))).not.toThrow();
      expect(() => new Webhook(old).verify(delivery!.raw, signed(delivery!.headers))).toThrow();
    } finally {
      await hook.close();
    }
  });

  it('never posts to a listed name that resolves to loopback, and does not retry it', async () => {
    const hook = await webhookReceiver();
    try {
      const clientId = `rebound-${mode}`;
      const refused = await (await post(clientId, 'Привет', `http://localhost:${hook.port}/hook`)).json();
      // The reply to the first message is delivered (and its webhook attempted) before the second is sent.
      await waitFor(async () => (await server.services.store.replyFor(refused.message_id))?.status === 'DELIVERED', 20_000);
      const allowed = await (await post(clientId, 'Сколько стоит тариф 500 мегабит?', hook.url)).json();
      expect(allowed.conversation_id).toBe(refused.conversation_id);
      const [delivery] = await waitFor(() => hook.received.length > 0 && hook.received, 20_000);
      const conversation = (await server.services.store.getConversation(allowed.conversation_id))!;
      const replies = (await server.services.store.messagesAfter(conversation.id, 0, 10)).filter((m) => m.author === 'bot');
      expect(hook.received).toHaveLength(1);
      expect(JSON.parse(delivery!.raw).message_id).toBe(replies.at(-1)!.id);
      // Refused for good: nothing is left pending to retry.
      const pending = await server.services.store.dueWebhooks(new Date(Date.now() + 86_400_000), 100);
      expect(pending.filter((job) => job.url.includes('localhost'))).toEqual([]);
    } finally {
      await hook.close();
    }
  });
});
