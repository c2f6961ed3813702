/**
 * Sites are data (issue 13): an owner creates a site (key generated, snippet to copy, the default
 * answers to edit), a site's admin changes its widget settings and origins and manages its team,
 * its operators change nothing, and the environment's demo site is seeded without undoing what
 * someone changed in the console.
 */
import type { SiteDto, SiteMemberDto } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_SETTINGS } from '../src/domain/sites/widget-settings.ts';
import { TEST_ORIGIN } from './support/server-process.ts';
import { connected, logInOperator, operatorSocket, STORAGE_MODES, startTestServer, type OperatorClient, type TestServer } from './support/test-server.ts';

const OWNER = { email: 'owner@example.com', password: 'owner password 0123' };
const ADA = { email: 'ada@example.com', name: 'Ada', password: 'ada password 0123' };
const OLEG = { email: 'oleg@example.com', name: 'Oleg', password: 'oleg password 0123' };

type AckResult<T = unknown> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

describe.each(STORAGE_MODES)('sites and their teams (%s)', (mode) => {
  let server: TestServer;
  let owner: OperatorClient;
  let site: SiteDto;
  const sockets: OperatorClient[] = [];

  const call = <T = unknown,>(socket: OperatorClient, event: string, payload?: unknown): Promise<AckResult<T>> => {
    const send = socket.timeout(10_000).emitWithAck.bind(socket) as (e: string, ...args: unknown[]) => Promise<AckResult<T>>;
    return payload === undefined ? send(event) : send(event, payload);
  };
  const ok = async <T,>(socket: OperatorClient, event: string, payload?: unknown): Promise<T> => {
    const ack = await call<T>(socket, event, payload);
    if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
    return ack.data;
  };
  const refusal = (code: string) => ({ ok: false, error: { code, message: expect.any(String) } });
  const console = async (who: { email: string; password: string }) => {
    const socket = operatorSocket(server.url, await logInOperator(server.url, who));
    sockets.push(socket);
    await connected(socket);
    return socket;
  };

  beforeAll(async () => {
    server = await startTestServer(mode, { ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password });
    owner = await console(OWNER);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.stop();
  });

  it('an owner creates a site: a generated key, the snippet to paste, default settings and answers', async () => {
    site = await ok<SiteDto>(owner, 'sites:create', { name: 'Книжный Дом', allowedOrigins: ['https://books.example/', 'https://books.example', 'http://localhost:8080'], locale: 'en' });
    expect(site.key).toMatch(/^knizhnyy-dom-[a-z2-9]{8}$/);
    expect(site).toMatchObject({ name: 'Книжный Дом', allowedOrigins: ['https://books.example', 'http://localhost:8080'], locale: 'en', enabled: true, myRole: 'owner' });
    expect(site.settings).toEqual(DEFAULT_WIDGET_SETTINGS);
    expect(site.snippet).toBe(`<script async src="${TEST_ORIGIN}/widget.js" data-site="${site.key}"></script>`);
    const { templates } = await ok<{ templates: unknown[] }>(owner, 'templates:list', { siteKey: site.key });
    expect(templates.length).toBeGreaterThan(10);
    const again = await ok<SiteDto>(owner, 'sites:create', { name: 'Книжный Дом', allowedOrigins: [], locale: 'ru' });
    expect(again.key).not.toBe(site.key);
  });

  it.each([
    [{ name: '', allowedOrigins: [], locale: 'ru' }, /name/],
    [{ name: 'X', allowedOrigins: ['books.example'], locale: 'ru' }, /allowedOrigins.0: "books.example" is not an origin/],
    [{ name: 'X', allowedOrigins: ['https://books.example/shop'], locale: 'ru' }, /is not an origin/],
    [{ name: 'X', allowedOrigins: ['javascript:alert(1)'], locale: 'ru' }, /is not an origin/],
    [{ name: 'X', allowedOrigins: [], locale: 'de' }, /locale/],
    [{ name: 'X', allowedOrigins: [], locale: 'ru', key: 'chosen' }, /Unrecognized key/],
  ])('sites:create %j → validation_error', async (payload, message) => {
    const ack = await call(owner, 'sites:create', payload);
    expect(ack).toEqual(refusal('validation_error'));
    expect(!ack.ok && ack.error.message).toMatch(message);
  });

  it("a site's admin changes its settings and origins (validated), but not its name, language or switch", async () => {
    const added = await ok<{ member: SiteMemberDto; created: boolean }>(owner, 'members:add', { siteKey: site.key, email: ADA.email, name: ADA.name, password: ADA.password, role: 'admin' });
    expect(added).toEqual({ created: true, member: { operatorId: expect.any(String), email: ADA.email, name: ADA.name, role: 'admin' } });
    const ada = await console(ADA);
    expect((await ok<{ sites: SiteDto[] }>(ada, 'sites:list')).sites.map((s) => [s.key, s.myRole])).toEqual([[site.key, 'admin']]);

    const updated = await ok<SiteDto>(ada, 'sites:update', {
      siteKey: site.key,
      allowedOrigins: ['https://books.example'],
      settings: { accentColor: '#00AA55', title: 'Книжный Дом', businessHours: { timeZone: 'Europe/Berlin', weekly: { mon: [{ open: '10:00', close: '19:00' }] }, awayMessage: { en: 'Back on Monday' } } },
    });
    expect(updated.allowedOrigins).toEqual(['https://books.example']);
    expect(updated.settings).toEqual({
      ...DEFAULT_WIDGET_SETTINGS,
      accentColor: '#00aa55',
      title: 'Книжный Дом',
      businessHours: { timeZone: 'Europe/Berlin', weekly: { mon: [{ open: '10:00', close: '19:00' }] }, awayMessage: { en: 'Back on Monday' } },
    });
    // Stored, not just echoed.
    expect((await server.services.store.findSiteByKey(site.key))?.settings?.accentColor).toBe('#00aa55');

    for (const change of [{ name: 'Mine now' }, { enabled: false }, { locale: 'ru' }]) {
      expect(await call(ada, 'sites:update', { siteKey: site.key, ...change })).toEqual(refusal('forbidden'));
    }
    for (const [settings, message] of [
      [{ accentColor: 'green' }, /settings.accentColor/],
      [{ avatarUrl: 'javascript:alert(1)' }, /settings.avatarUrl/],
      [{ businessHours: { timeZone: 'Moon/Base', weekly: {} } }, /settings.businessHours.timeZone/],
    ] as const) {
      const ack = await call(ada, 'sites:update', { siteKey: site.key, settings });
      expect(ack).toEqual(refusal('validation_error'));
      expect(!ack.ok && ack.error.message).toMatch(message);
    }
  });

  it("a site's admin manages its team; its operators may not; its last admin stays", async () => {
    const ada = await console(ADA);
    const newcomer = await call(ada, 'members:add', { siteKey: site.key, email: OLEG.email, role: 'operator' });
    expect(newcomer).toEqual(refusal('validation_error')); // a new account needs a name and a password
    const oleg = await ok<{ member: SiteMemberDto; created: boolean }>(ada, 'members:add', { siteKey: site.key, email: OLEG.email, name: OLEG.name, password: OLEG.password, role: 'operator' });
    expect(oleg.created).toBe(true);
    // The owner adds Oleg's existing account to the demo site too: no second account, no new password.
    expect(await ok(owner, 'members:add', { siteKey: 'demo', email: OLEG.email, role: 'operator', password: 'ignored password' })).toMatchObject({ created: false });
    await logInOperator(server.url, OLEG);

    const olegConsole = await console(OLEG);
    expect((await ok<{ sites: SiteDto[] }>(olegConsole, 'sites:list')).sites.map((s) => [s.key, s.myRole])).toEqual([
      ['demo', 'operator'],
      [site.key, 'operator'],
    ]);
    expect(await call(olegConsole, 'members:list', { siteKey: site.key })).toEqual(refusal('forbidden'));
    expect(await call(olegConsole, 'sites:update', { siteKey: site.key, settings: { title: 'Oleg' } })).toEqual(refusal('forbidden'));
    expect(await call(olegConsole, 'members:remove', { siteKey: site.key, operatorId: oleg.member.operatorId })).toEqual(refusal('forbidden'));

    const { members } = await ok<{ members: SiteMemberDto[] }>(ada, 'members:list', { siteKey: site.key });
    expect(members.map((m) => [m.email, m.role])).toEqual([
      [ADA.email, 'admin'],
      [OLEG.email, 'operator'],
    ]);
    const adaId = members[0]!.operatorId;
    expect(await call(ada, 'members:remove', { siteKey: site.key, operatorId: adaId })).toEqual(refusal('conflict'));
    expect(await call(ada, 'members:add', { siteKey: site.key, email: ADA.email, role: 'operator' })).toEqual(refusal('conflict'));
    expect(await ok(ada, 'members:remove', { siteKey: site.key, operatorId: oleg.member.operatorId })).toEqual({ operatorId: oleg.member.operatorId });
    expect(await call(ada, 'members:remove', { siteKey: site.key, operatorId: oleg.member.operatorId })).toEqual(refusal('not_found'));
    // The owner may leave a site without admins (and step in himself).
    expect(await ok(owner, 'members:remove', { siteKey: site.key, operatorId: adaId })).toEqual({ operatorId: adaId });
    expect(await ok<{ members: SiteMemberDto[] }>(owner, 'members:list', { siteKey: site.key })).toEqual({ members: [] });
  });

  it('the demo site is seeded from the environment until someone changes it in the console', async () => {
    const { sites } = server.services;
    const seed = { key: 'seeded', name: 'Seeded', locale: 'ru', allowedOrigins: ['https://one.example'] };
    await sites.seed(seed);
    const refreshed = await sites.seed({ ...seed, allowedOrigins: ['https://two.example'] });
    expect(refreshed.allowedOrigins).toEqual(['https://two.example']);
    // Settings edited in the console survive a restart's seed; so do origins, once edited.
    await ok(owner, 'sites:update', { siteKey: 'seeded', settings: { title: 'Kept' } });
    expect((await sites.seed({ ...seed, allowedOrigins: ['https://three.example'] })).allowedOrigins).toEqual(['https://three.example']);
    await ok(owner, 'sites:update', { siteKey: 'seeded', allowedOrigins: ['https://mine.example'] });
    const kept = await sites.seed({ ...seed, name: 'Renamed by env', allowedOrigins: ['https://four.example'] });
    expect(kept).toMatchObject({ name: 'Seeded', allowedOrigins: ['https://mine.example'], settings: { title: 'Kept' } });
  });
});
