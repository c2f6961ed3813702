/**
 * Canned responses on both storage modes: a site's admin adds, changes and deletes them; a
 * shortcut is unique within its site (another site may use it); the site's operators read them
 * and may not change them. Cross-site attempts are rows of operators-see-only-their-sites.test.ts.
 */
import type { CannedResponseDto, SiteDto } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, logInOperator, operatorSocket, STORAGE_MODES, startTestServer, type OperatorClient, type TestServer } from './support/test-server.ts';

const OWNER = { email: 'owner@example.com', password: 'owner password 0123' };
const ANNA = { email: 'anna@example.com', name: 'Anna', password: 'anna password 0123' };
type AckResult = { ok: boolean; data?: unknown; error?: { code: string; message: string } };

describe.each(STORAGE_MODES)('canned responses are kept per site (%s)', (mode) => {
  let server: TestServer;
  let owner: OperatorClient;
  let anna: OperatorClient;
  let otherSite: string;

  const emit = (socket: OperatorClient, event: string, payload?: unknown): Promise<AckResult> =>
    (socket.timeout(10_000).emitWithAck as (e: string, ...a: unknown[]) => Promise<AckResult>)(event, ...(payload === undefined ? [] : [payload]));
  const ok = async <T,>(socket: OperatorClient, event: string, payload?: unknown): Promise<T> => {
    const ack = await emit(socket, event, payload);
    if (!ack.ok) throw new Error(`${event}: ${ack.error?.code} ${ack.error?.message}`);
    return ack.data as T;
  };

  beforeAll(async () => {
    server = await startTestServer(mode, { ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password });
    owner = operatorSocket(server.url, await logInOperator(server.url, OWNER));
    await connected(owner);
    await ok(owner, 'members:add', { siteKey: 'demo', email: ANNA.email, role: 'operator', name: ANNA.name, password: ANNA.password });
    otherSite = (await ok<SiteDto>(owner, 'sites:create', { name: 'Other', allowedOrigins: [], locale: 'en' })).key;
    anna = operatorSocket(server.url, await logInOperator(server.url, ANNA));
    await connected(anna);
  }, 120_000);

  afterAll(async () => {
    owner?.disconnect();
    anna?.disconnect();
    await server?.stop();
  });

  it('an admin adds, changes and deletes them; the shortcut is unique within the site only', async () => {
    const hello = await ok<CannedResponseDto>(owner, 'canned:save', { siteKey: 'demo', shortcut: 'hello', text: 'Здравствуйте, {{visitor_name}}!' });
    await ok(owner, 'canned:save', { siteKey: 'demo', shortcut: 'bye', text: 'Всего доброго' });
    expect(await emit(owner, 'canned:save', { siteKey: 'demo', shortcut: 'hello', text: 'again' })).toEqual({ ok: false, error: { code: 'conflict', message: expect.any(String) } });
    await ok(owner, 'canned:save', { siteKey: otherSite, shortcut: 'hello', text: 'Hello from the other site' });

    const changed = await ok<CannedResponseDto>(owner, 'canned:save', { siteKey: 'demo', id: hello.id, shortcut: 'hi', text: 'Добрый день, {{visitor_name}}!' });
    expect(changed).toMatchObject({ id: hello.id, shortcut: 'hi', text: 'Добрый день, {{visitor_name}}!' });
    const listed = await ok<{ responses: CannedResponseDto[] }>(owner, 'canned:list', { siteKey: 'demo' });
    expect(listed.responses.map((r) => r.shortcut)).toEqual(['bye', 'hi']);

    expect(await ok(owner, 'canned:delete', { siteKey: 'demo', id: hello.id })).toEqual({ id: hello.id });
    expect(await emit(owner, 'canned:delete', { siteKey: 'demo', id: hello.id })).toEqual({ ok: false, error: { code: 'not_found', message: expect.any(String) } });
    expect((await ok<{ responses: CannedResponseDto[] }>(owner, 'canned:list', { siteKey: otherSite })).responses.map((r) => r.text)).toEqual(['Hello from the other site']);
  });

  it("the site's operators read them but may not change them; bad shortcuts are refused", async () => {
    const listed = await ok<{ responses: CannedResponseDto[] }>(anna, 'canned:list');
    expect(listed.responses.map((r) => r.shortcut)).toEqual(['bye']);
    expect(await emit(anna, 'canned:save', { shortcut: 'mine', text: 'x' })).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
    expect(await emit(anna, 'canned:delete', { id: listed.responses[0]!.id })).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
    for (const shortcut of ['', 'has space', 'a/b', 'x'.repeat(41)]) {
      expect((await emit(owner, 'canned:save', { siteKey: 'demo', shortcut, text: 'x' })).error?.code, shortcut).toBe('validation_error');
    }
    expect((await emit(owner, 'canned:save', { siteKey: 'demo', shortcut: 'long', text: 'x'.repeat(2001) })).error?.code).toBe('validation_error');
  });
});
