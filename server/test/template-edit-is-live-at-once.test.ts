/**
 * An admin's template edit is what the bot says next — at once in the process that saved it, and
 * within about a second in every other (templates are cached for an hour; a save bumps a version
 * in the shared cache, which each process compares at most once a second).
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { createTestDatabase } from '../src/adapters/db/migrate.ts';
import { connected, logInOperator, operatorSocket, REDIS_URL } from './support/test-server.ts';

const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery' };

describe('template edits on two processes sharing Postgres and Redis', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', DELAYS_ENABLED: 'false', RATE_LIMIT_ENABLED: 'false',
      SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789', DATABASE_URL: db.url, REDIS_URL,
      ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password,
    });
    const namespace = `t${randomUUID().slice(0, 8)}`;
    a = await startServer(config, { logger: pino({ level: 'silent' }), namespace });
    b = await startServer(config, { logger: pino({ level: 'silent' }), namespace });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  const greet = async (server: RunningServer) => {
    const res = await fetch(`${server.url}/api/messages/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: `c-${randomUUID()}`, content: 'Привет!' }),
    });
    return ((await res.json()) as { response: { text: string } }).response.text;
  };

  it('a save on process A changes the reply on A at once and on B within about a second', async () => {
    expect(await greet(b)).not.toBe('Алоха! Чем помочь?'); // warms B's template cache
    const admin = operatorSocket(a.url, await logInOperator(a.url, ADMIN));
    await connected(admin);
    const saved = await admin.emitWithAck('templates:save', { category: 'GREETING', locale: 'ru', variants: ['Алоха! Чем помочь?'] });
    expect(saved.ok).toBe(true);
    admin.disconnect();
    expect(await greet(a)).toBe('Алоха! Чем помочь?');
    const started = Date.now();
    let onB = await greet(b);
    // B's next version check is at most a second away; the bound is only a safety net under load.
    while (onB !== 'Алоха! Чем помочь?' && Date.now() - started < 10_000) onB = await greet(b);
    expect(onB).toBe('Алоха! Чем помочь?');
  });

  it('only admins may edit templates', async () => {
    await a.services.auth.upsert({ email: 'op@example.com', name: 'Op', role: 'operator', sites: [{ siteKey: 'demo', role: 'operator' }], password: 'operator-password' });
    const op = operatorSocket(a.url, await logInOperator(a.url, { email: 'op@example.com', password: 'operator-password' }));
    await connected(op);
    const refused = await op.emitWithAck('templates:save', { category: 'GREETING', locale: 'ru', variants: ['hacked'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    op.disconnect();
  });
});
