/**
 * After real traffic `/metrics` carries the product's series — messages by channel and category,
 * escalations by reason, reply lateness, webhook attempts and failures, classification source and
 * latency — and a failed webhook is logged with its conversation's id (never the URL's path).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalationKind } from '../src/adapters/metrics/product-metrics.ts';
import { STORAGE_MODES, startTestServer, waitFor, type TestServer } from './support/test-server.ts';

interface RestAnswer {
  conversation_id: string;
  classification: { category: string; source: string };
  escalated: boolean;
  escalation_reason: string | null;
}

/** The value of one series line (`name{labels} value`), or undefined when it is absent. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(STORAGE_MODES)('product metrics (%s)', (mode) => {
  let server: TestServer;
  let platform: Server;
  let hookUrl: string;
  const logged: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    // The platform's endpoint is down: every POST answers 503.
    platform = createServer((req, res) => req.resume().on('end', () => res.writeHead(503).end('down')));
    await new Promise<void>((r) => platform.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(platform.address() as AddressInfo).port}/hooks/secret-path?token=abc`;
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    server = await startTestServer(mode, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_MAX_ATTEMPTS: '1' }, { logger });
  });
  afterAll(async () => {
    await server?.stop();
    await new Promise<void>((r) => platform?.close(() => r()));
  });

  const send = async (clientId: string, content: string, webhook = false): Promise<RestAnswer> => {
    const res = await fetch(`${server.url}/api/messages/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-platform': 'test', ...(webhook ? { 'x-webhook-url': hookUrl } : {}) },
      body: JSON.stringify({ client_id: clientId, content, client_message_id: `${clientId}-1` }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as RestAnswer;
  };

  it('counts messages, escalations, lateness, classification and failed webhooks, and logs the failure', { timeout: 60_000 }, async () => {
    const question = await send('metrics-question', 'Как оплатить счёт картой?', true);
    const human = await send('metrics-human', 'Позовите оператора, живого человека!');
    expect(human.escalated).toBe(true);

    const failure = await waitFor(() => logged.find((line) => line.conversationId === question.conversation_id), 20_000);
    expect(failure).toMatchObject({ msg: 'webhook delivery failed; giving up', attempt: 1, url: new URL(hookUrl).origin, retryAt: null, error: expect.stringContaining('503') });
    expect(JSON.stringify(failure)).not.toContain('secret-path');

    // Both messages get a reply (the question an answer, the escalation its hand-off), each measured once when delivered.
    const metrics = await waitFor(async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return sample(text, 'support_chat_reply_lateness_seconds_count') === 2 && text;
    }, 20_000);
    const categories = [question.classification.category, human.classification.category];
    for (const category of new Set(categories)) {
      expect(sample(metrics, `support_chat_messages_total{channel="REST",category="${category}"}`)).toBe(categories.filter((c) => c === category).length);
    }
    expect(sample(metrics, `support_chat_escalations_total{reason="${escalationKind(human.escalation_reason!)}"}`)).toBe(1);
    expect(sample(metrics, 'support_chat_webhook_attempts_total{outcome="failed"}')).toBe(1);
    expect(sample(metrics, 'support_chat_webhook_failures_total')).toBe(1);
    const sources = [question.classification.source, human.classification.source].map((s) => (s === 'knowledge' ? 'local' : s));
    const classified = [...new Set(sources)].reduce((sum, source) => sum + (sample(metrics, `support_chat_classification_seconds_count{source="${source}"}`) ?? 0), 0);
    expect(classified).toBe(2);
  });
});
