/**
 * An operator token dies with a logout or a new password (the operator's token version is
 * raised): the REST logout refuses it, the socket handshake refuses it, and a console socket
 * already connected with it is disconnected by the periodic re-check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, logInOperator, nextEvent, operatorSocket, STORAGE_MODES, startTestServer, type TestServer } from './support/test-server.ts';

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };

const logout = (url: string, token: string | null) =>
  fetch(`${url}/api/operators/logout`, { method: 'POST', headers: token === null ? {} : { authorization: `Bearer ${token}` } });

describe.each(STORAGE_MODES)('revoked operator tokens are refused and disconnected (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    // A short re-check interval, so the test waits on the disconnect without waiting 30 s.
    server = await startTestServer(mode, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, OPERATOR_SESSION_RECHECK_MS: '200' });
  });
  afterAll(() => server?.stop());

  it('logout revokes the token: its open socket is disconnected, the handshake and logout refuse it, a new login works', async () => {
    const token = await logInOperator(server.url, ADMIN);
    const socket = operatorSocket(server.url, token);
    try {
      await connected(socket);
      expect((await socket.emitWithAck('queue:list')).ok).toBe(true);

      const cut = nextEvent<string>(socket, 'disconnect', 20_000);
      const res = await logout(server.url, token);
      expect(res.status).toBe(204);
      expect(await cut).toBe('io server disconnect');

      const refused = nextEvent<Error>(socket, 'connect_error');
      socket.connect();
      expect((await refused).message).toMatch(/^unauthorized/);

      const again = await logout(server.url, token);
      expect(again.status).toBe(401);
      expect(((await again.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    } finally {
      socket.disconnect();
    }

    const fresh = operatorSocket(server.url, await logInOperator(server.url, ADMIN));
    try {
      await connected(fresh);
    } finally {
      fresh.disconnect();
    }
  });

  it('a new password revokes every token issued before it', async () => {
    const before = await logInOperator(server.url, ADMIN);
    const socket = operatorSocket(server.url, before);
    try {
      await connected(socket);
      const cut = nextEvent<string>(socket, 'disconnect', 20_000);
      await server.services.auth.upsert({ email: ADMIN.email, name: 'Admin', role: 'owner', password: 'a brand new password' });
      expect(await cut).toBe('io server disconnect');
      const refused = operatorSocket(server.url, before);
      await expect(connected(refused)).rejects.toThrow(/unauthorized/);
      refused.disconnect();
      await expect(logInOperator(server.url, ADMIN)).rejects.toThrow(/401/);
      await logInOperator(server.url, { email: ADMIN.email, password: 'a brand new password' });
    } finally {
      socket.disconnect();
      await server.services.auth.upsert({ email: ADMIN.email, name: 'Admin', role: 'owner', password: ADMIN.password });
    }
  });

  it('logout without a token, or with a forged, expired or unsigned one, is 401 and revokes nothing', async () => {
    const token = await logInOperator(server.url, ADMIN);
    const [header, payload] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const expired = Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 })).toString('base64url');
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    for (const bad of [null, 'garbage', `${header}.${payload}.${'A'.repeat(43)}`, `${header}.${expired}.${token.split('.')[2]}`, unsigned]) {
      expect((await logout(server.url, bad)).status, String(bad)).toBe(401);
    }
    const socket = operatorSocket(server.url, token);
    try {
      await connected(socket);
    } finally {
      socket.disconnect();
    }
  });
});
