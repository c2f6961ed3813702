/**
 * Security headers as a client sees them: `nosniff` and a Referrer-Policy on every response —
 * JSON, errors, static files, Socket.IO's polling transport (served by the engine, not Koa);
 * the console under a strict CSP that forbids framing; JSON with a CSP that allows nothing; the
 * demo page (a stand-in for a customer's site) with no CSP of ours; the widget's files loadable by
 * other sites (CORP cross-origin); HSTS only when the request came over TLS, which behind a
 * trusted proxy X-Forwarded-Proto tells, and never on plain HTTP or from an untrusted header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.ts';

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });

describe('security headers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('embedded');
  });
  afterAll(() => server?.stop());

  it('sends nosniff and a Referrer-Policy on JSON, errors, pages, scripts and Socket.IO polling', async () => {
    const responses = await Promise.all([
      get(`${server.url}/health`),
      get(`${server.url}/no-such-route`),
      get(`${server.url}/console`),
      get(`${server.url}/widget.js`),
      get(`${server.url}/`),
      // The Engine.IO handshake over polling, then a poll of that session.
      get(`${server.url}/socket.io/?EIO=4&transport=polling`),
    ]);
    const polling = responses.at(-1)!;
    const sid = /"sid":"([^"]+)"/.exec(await polling.text())?.[1];
    expect(sid).toBeTruthy();
    const poll = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '40/visitor,' });
    for (const res of [...responses, poll]) {
      expect(res.headers.get('x-content-type-options'), res.url).toBe('nosniff');
    }
    for (const res of responses.slice(0, 5)) {
      expect(res.headers.get('referrer-policy'), res.url).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-request-id'), res.url).toBeTruthy();
    }
  });

  it('serves the console under a strict CSP: own origin only, no inline script or style, never framed', async () => {
    const res = await get(`${server.url}/console`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    // The built page itself has no inline script for the policy to break.
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style[\s>]|\sstyle=/);
  });

  it('gives JSON a CSP that allows nothing, and the demo page none of ours', async () => {
    const json = await get(`${server.url}/health`);
    expect(json.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    const demo = await get(`${server.url}/`);
    expect(demo.headers.get('content-security-policy')).toBeNull();
  });

  it("lets other sites' pages load the widget's scripts", async () => {
    const loader = await get(`${server.url}/widget.js`);
    expect(loader.status).toBe(200);
    expect(loader.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(loader.headers.get('access-control-allow-origin')).toBe('*');
    const app = /widget-app-[\w-]+\.js/.exec(await loader.text())?.[0];
    expect(app).toBeTruthy();
    const appRes = await get(`${server.url}/${app}`);
    expect(appRes.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    // Everything else stays same-origin.
    expect((await get(`${server.url}/health`)).headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  it('sends no HSTS over plain HTTP, and ignores X-Forwarded-Proto without TRUST_PROXY', async () => {
    expect((await get(`${server.url}/health`)).headers.get('strict-transport-security')).toBeNull();
    expect((await get(`${server.url}/health`, { 'x-forwarded-proto': 'https' })).headers.get('strict-transport-security')).toBeNull();
  });
});

describe('HSTS behind a trusted proxy (TRUST_PROXY=true)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('embedded', { TRUST_PROXY: 'true' });
  });
  afterAll(() => server?.stop());

  it('is sent when the proxy says the request came over https, and not when it came over http', async () => {
    const tls = await get(`${server.url}/health`, { 'x-forwarded-proto': 'https' });
    expect(tls.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    const plain = await get(`${server.url}/health`, { 'x-forwarded-proto': 'http' });
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });
});
