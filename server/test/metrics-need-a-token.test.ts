/**
 * The counters (`/metrics`, `/api/monitoring/stats`) are not public: with METRICS_TOKEN only a
 * request bearing it reads them (401 in the JSON error shape otherwise); without it, production
 * serves them to loopback only (403 from any other client address), development to anyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, STORAGE_MODES, type TestServer } from './support/test-server.ts';

const TOKEN = 'metrics-token-0123456789abcdef';
const PATHS = ['/metrics', '/api/monitoring/stats'];

describe.each(STORAGE_MODES)('metrics access (%s)', (mode) => {
  describe('with METRICS_TOKEN', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(mode, { METRICS_TOKEN: TOKEN });
    });
    afterAll(() => server?.stop());

    it.each(PATHS)('%s answers 401 without the token or with a wrong one, even from loopback', async (path) => {
      const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-0123456789abcdef' }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }];
      for (const headers of attempts) {
        const res = await fetch(`${server.url}${path}`, { headers });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        const body = (await res.json()) as { error: { code: string } };
        expect(body.error.code).toBe('unauthorized');
        expect(JSON.stringify(body)).not.toContain('support_chat');
      }
    });

    it.each(PATHS)('%s answers with the token', async (path) => {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(path === '/metrics' ? text : JSON.parse(text)).toEqual(path === '/metrics' ? expect.stringContaining('process_cpu') : expect.objectContaining({ operators_online: 0 }));
    });
  });

  describe('in production without METRICS_TOKEN', () => {
    let server: TestServer;
    beforeAll(async () => {
      // TRUST_PROXY: the test names the client address in X-Forwarded-For, as a proxy in front would.
      server = await startTestServer(mode, { NODE_ENV: 'production', TRUST_PROXY: 'true' });
    });
    afterAll(() => server?.stop());

    it.each(PATHS)('%s is served to loopback and refused to any other address', async (path) => {
      expect((await fetch(`${server.url}${path}`)).status).toBe(200);
      const outside = await fetch(`${server.url}${path}`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
      expect(outside.status).toBe(403);
      expect(await outside.json()).toEqual({ error: { code: 'forbidden', message: expect.stringContaining('METRICS_TOKEN') } });
    });
  });
});
