import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, logInOperator, operatorSocket, STORAGE_MODES, startTestServer, type OperatorClient, type TestServer } from './support/test-server.ts';

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };
const OPERATOR = { email: 'anna@example.com', password: 'another long password' };

describe.each(STORAGE_MODES)('admins manage API keys in the console (%s)', (mode) => {
  let server: TestServer;
  let admin: OperatorClient;
  let operator: OperatorClient;

  const post = (key: string | null) =>
    fetch(`${server.url}/api/messages/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ client_id: 'console-made-key', content: 'Здравствуйте' }),
    });

  beforeAll(async () => {
    // Behind a trusted proxy the test's calls come from a forwarded, non-loopback client: only a key lets them in.
    server = await startTestServer(mode, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, TRUST_PROXY: 'true' });
    await server.services.auth.upsert({ email: OPERATOR.email, name: 'Anna', role: 'operator', sites: [{ siteKey: 'demo', role: 'operator' }], password: OPERATOR.password });
    admin = operatorSocket(server.url, await logInOperator(server.url, ADMIN));
    operator = operatorSocket(server.url, await logInOperator(server.url, OPERATOR));
    await Promise.all([connected(admin), connected(operator)]);
  });
  afterAll(async () => {
    admin?.disconnect();
    operator?.disconnect();
    await server?.stop();
  });

  it('creates a key shown once, lists it without the key, and revokes it', async () => {
    expect(await post(null).then((r) => r.status)).toBe(401);

    const created = await admin.emitWithAck('apikeys:create', { name: 'CRM' });
    if (!created.ok) throw new Error(created.error.message);
    const { key, record } = created.data;
    expect(key.startsWith(record.prefix)).toBe(true);
    expect(record).toMatchObject({ name: 'CRM', revokedAt: null, lastUsedAt: null });
    expect((await post(key)).status).toBe(200);

    const listed = await admin.emitWithAck('apikeys:list');
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.data.keys.map((k) => k.id)).toContain(record.id);
    expect(JSON.stringify(listed.data)).not.toContain(key);

    const revoked = await admin.emitWithAck('apikeys:revoke', { id: record.id });
    expect(revoked).toMatchObject({ ok: true, data: { id: record.id, revokedAt: expect.any(String) } });
    expect((await post(key)).status).toBe(401);
  });

  it('refuses operators who are not admins, and malformed requests', async () => {
    const forbidden = { ok: false, error: { code: 'forbidden', message: 'Only admins manage API keys' } };
    expect(await operator.emitWithAck('apikeys:list')).toEqual(forbidden);
    expect(await operator.emitWithAck('apikeys:create', { name: 'mine' })).toEqual(forbidden);
    const { data } = (await admin.emitWithAck('apikeys:create', { name: 'kept' })) as { data: { record: { id: string } } };
    expect(await operator.emitWithAck('apikeys:revoke', { id: data.record.id })).toEqual(forbidden);

    expect(await admin.emitWithAck('apikeys:create', { name: '   ' })).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    expect(await admin.emitWithAck('apikeys:revoke', { id: 'sk_notanid' })).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    expect(await admin.emitWithAck('apikeys:revoke', { id: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
