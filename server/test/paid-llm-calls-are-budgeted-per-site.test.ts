import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_MODES, startTestServer, type TestServer } from './support/test-server.ts';

/** A chat-completions endpoint on loopback that answers every request at once, and counts them. */
async function countingLlm(): Promise<{ baseURL: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      const content = JSON.stringify({ category: 'BILLING', confidence: 0.99 });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'fake', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// A paid LLM call costs the deployment money on every message; one site (or one abuser of its
// widget) must not spend everyone's. Past LLM_CALLS_PER_SITE_PER_HOUR the site's messages are
// classified offline, and other sites keep their own budget.
describe.each(STORAGE_MODES)('paid LLM classifications (%s)', (mode) => {
  let server: TestServer;
  let llm: Awaited<ReturnType<typeof countingLlm>>;

  beforeAll(async () => {
    llm = await countingLlm();
    server = await startTestServer(mode, { OPENAI_API_KEY: 'sk-test', OPENAI_API_BASE: llm.baseURL, LLM_CALLS_PER_SITE_PER_HOUR: '2' });
  });
  afterAll(async () => {
    await server?.stop();
    await llm?.close();
  });

  it('stop at the site budget, falling back to the offline classifier, while another site keeps its own', async () => {
    const { chat, store } = server.services;
    const demo = (await store.findSiteByKey('demo'))!;
    const other = await store.upsertSite({ key: `other-${randomUUID().slice(0, 8)}`, name: 'Other', locale: 'ru', allowedOrigins: [] });
    const send = (site: typeof demo, n: number) =>
      chat.receive({ site, visitorExternalId: `budget-${randomUUID()}`, text: `Сколько стоит тариф номер ${n}?`, clientMessageId: randomUUID(), channel: 'REST' });

    const sources: string[] = [];
    for (let n = 1; n <= 4; n++) sources.push((await send(demo, n)).classification!.source);
    expect(sources).toEqual(['llm', 'llm', 'local', 'local']);
    expect(llm.requests()).toBe(2);

    expect((await send(other, 5)).classification!.source).toBe('llm');
    expect(llm.requests()).toBe(3);
  });
});
