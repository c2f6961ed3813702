import { randomBytes, randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaApiKeys } from '../src/adapters/auth/prisma-api-keys.ts';
import { KEY_RECHECK_MS } from '../src/adapters/auth/verified-key-cache.ts';
import type { SiteRecord } from '../src/services/ports.ts';
import { STORAGE_MODES, startTestServer, waitFor, type TestServer } from './support/test-server.ts';

/** Every line the server logs, kept to assert on (what is warned, and that no key is ever written). */
function capturedLogger() {
  const lines: Array<{ level: number; msg: string; [k: string]: unknown }> = [];
  const raw: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void (raw.push(line), lines.push(JSON.parse(line))) });
  return { logger, lines, raw };
}

const UNAUTHORIZED = { error: { code: 'unauthorized', message: expect.any(String) } };

describe.each(STORAGE_MODES)('REST calls need an API key (%s)', (mode) => {
  let server: TestServer;
  let other: SiteRecord;
  const log = capturedLogger();
  // The server's clock runs with real time; a test moves it on to when cached keys are re-checked.
  let skew = 0;
  const clock = { now: () => new Date(Date.now() + skew) };

  const post = (headers: Record<string, string>, clientId = `client-${randomUUID()}`, url = server.url) =>
    fetch(`${url}/api/messages/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ client_id: clientId, content: 'Как оплатить счёт картой?' }),
    });

  async function refused(res: Response, status = 401) {
    expect(res.status).toBe(status);
    if (status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer');
    return res.json();
  }

  beforeAll(async () => {
    // A trusted proxy, so that a forwarded client can be told from this machine.
    server = await startTestServer(mode, { TRUST_PROXY: 'true' }, { logger: log.logger, clock });
    other = await server.services.store.upsertSite({ key: `other-${mode}`, name: 'Other', locale: 'ru', allowedOrigins: [] });
  });
  afterAll(() => server?.stop());

  const demoSite = async () => (await server.services.store.findSiteByKey('demo'))!;

  it('answers 200 with a valid key and files the conversation under the key\'s site', async () => {
    const { key } = await server.services.apiKeys.create(other.id, 'CRM');
    expect(key).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    const res = await post({ authorization: `Bearer ${key}` });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect((await server.services.store.getConversation(body.conversation_id))?.siteId).toBe(other.id);

    const same = await post({ authorization: `Bearer ${key}`, 'x-site-key': other.key });
    expect(same.status).toBe(200);
    // Its use is recorded (in the background, not on the request's path).
    await waitFor(async () => (await server.services.apiKeys.list(other.id)).find((k) => k.name === 'CRM')?.lastUsedAt);
  });

  it('refuses a call without a key, with a wrong, malformed or revoked key (401)', async () => {
    const demo = await demoSite();
    expect(await refused(await post({ 'x-site-key': other.key }))).toEqual(UNAUTHORIZED);
    expect(await refused(await post({ authorization: `Bearer sk_${randomBytes(32).toString('base64url')}` }))).toEqual(UNAUTHORIZED);
    expect(await refused(await post({ authorization: 'Bearer not-a-key' }))).toEqual(UNAUTHORIZED);
    expect(await refused(await post({ authorization: 'Basic dXNlcjpwYXNz' }))).toEqual(UNAUTHORIZED);

    const { key, record } = await server.services.apiKeys.create(demo.id, 'to revoke');
    expect((await post({ authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await server.services.apiKeys.revoke(demo.id, record.prefix))?.revokedAt).toBeInstanceOf(Date);
    expect(await refused(await post({ authorization: `Bearer ${key}` }))).toEqual(UNAUTHORIZED);
  });

  it('refuses a key revoked by another process (the CLI, another server) once its re-check is due', async () => {
    const demo = await demoSite();
    const { key, record } = await server.services.apiKeys.create(demo.id, 'revoked elsewhere');
    const kept = await server.services.apiKeys.create(demo.id, 'kept');
    expect((await post({ authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await post({ authorization: `Bearer ${kept.key}` })).status).toBe(200);

    // Another process's view of the same database: this server's cache hears nothing of it.
    const elsewhere = new PrismaApiKeys(server.prisma, clock, () => undefined);
    expect((await elsewhere.revoke(demo.id, record.id))?.revokedAt).toBeInstanceOf(Date);
    skew += KEY_RECHECK_MS;
    expect(await refused(await post({ authorization: `Bearer ${key}` }))).toEqual(UNAUTHORIZED);
    expect((await post({ authorization: `Bearer ${kept.key}` })).status).toBe(200);
  });

  it('refuses a key of one site sent for another (403), and a key cannot be revoked through another site', async () => {
    const { key, record } = await server.services.apiKeys.create(other.id, 'other site');
    expect(await refused(await post({ authorization: `Bearer ${key}`, 'x-site-key': 'demo' }), 403)).toEqual({
      error: { code: 'forbidden', message: expect.any(String) },
    });
    expect(await server.services.apiKeys.revoke((await demoSite()).id, record.id)).toBeNull();
    expect((await post({ authorization: `Bearer ${key}` })).status).toBe(200);
  });

  it('lets the demo site in without a key from loopback in development, with one warning a minute', async () => {
    const warnings = () => log.lines.filter((l) => l.level === 40 && /without an API key/.test(l.msg));
    const before = warnings().length;
    expect((await post({})).status).toBe(200);
    expect((await post({ 'x-site-key': 'demo' })).status).toBe(200);
    // At most one per minute: a busy local script does not flood the log (none if an earlier test already warned).
    expect(warnings().length - before).toBeLessThanOrEqual(1);
    expect(warnings().length).toBeGreaterThanOrEqual(1);

    // A client forwarded by the trusted proxy is not this machine, whatever the socket's address.
    expect(await refused(await post({ 'x-forwarded-for': '203.0.113.7' }))).toEqual(UNAUTHORIZED);
    // Another site never takes keyless calls.
    expect(await refused(await post({ 'x-site-key': other.key }))).toEqual(UNAUTHORIZED);
  });

  it('refuses keyless calls in production, even from loopback', async () => {
    const production = await startTestServer(mode, { NODE_ENV: 'production' });
    try {
      expect(await refused(await post({}, undefined, production.url))).toEqual(UNAUTHORIZED);
      const demo = (await production.services.store.findSiteByKey('demo'))!;
      const { key } = await production.services.apiKeys.create(demo.id, 'prod');
      expect((await post({ authorization: `Bearer ${key}` }, undefined, production.url)).status).toBe(200);
    } finally {
      await production.stop();
    }
    // A server of its own starts inside the test: a safety net for a loaded machine.
  }, 120_000);

  it('never writes a key into the log', async () => {
    const { key } = await server.services.apiKeys.create(other.id, 'logged?');
    await post({ authorization: `Bearer ${key}` });
    await post({ authorization: `Bearer ${key}`, 'x-site-key': 'demo' });
    expect(log.raw.length).toBeGreaterThan(0);
    expect(log.raw.join('\n')).not.toMatch(/sk_[A-Za-z0-9_-]{20,}/);
  });
});
