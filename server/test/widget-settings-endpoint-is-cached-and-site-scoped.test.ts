/**
 * `GET /api/widget/settings?site=KEY` (issue 13): the site's public widget settings, whether it is
 * open by its hours and who is online — cacheable for 30 s with a strong ETag (304 on a match),
 * readable cross-origin only by the site's own pages, 404 for an unknown or disabled site. A
 * change in the console reaches the site's open widgets at once (`site:settings`), and only them.
 */
import { randomUUID } from 'node:crypto';
import type { PublicWidgetSettings, SiteDto } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ORIGIN } from './support/server-process.ts';
import {
  collect,
  connected,
  logInOperator,
  nextEvent,
  operatorSocket,
  STORAGE_MODES,
  startTestServer,
  visitorSocket,
  waitFor,
  type OperatorClient,
  type TestServer,
} from './support/test-server.ts';

const OWNER = { email: 'owner@example.com', password: 'owner password 0123' };
const OTHER_ORIGIN = 'https://other-shop.example';
const CLOSED_ALL_WEEK = { timeZone: 'Europe/Moscow', weekly: {}, awayMessage: { ru: 'Мы ответим утром', en: 'We answer in the morning' } };
const OPEN_ALL_WEEK = {
  timeZone: 'Asia/Tokyo',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]])),
  awayMessage: {},
};

describe.each(STORAGE_MODES)('the widget settings endpoint (%s)', (mode) => {
  let server: TestServer;
  let owner: OperatorClient;
  let other: SiteDto;
  const sockets: { disconnect(): void }[] = [];

  const get = (query: string, headers: Record<string, string> = {}) => fetch(`${server.url}/api/widget/settings${query}`, { headers: { origin: TEST_ORIGIN, ...headers } });
  const update = async (payload: object): Promise<SiteDto> => {
    const ack = await owner.timeout(10_000).emitWithAck('sites:update', payload as never);
    if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
    return ack.data;
  };

  beforeAll(async () => {
    server = await startTestServer(mode, { ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password });
    owner = operatorSocket(server.url, await logInOperator(server.url, OWNER));
    sockets.push(owner);
    await connected(owner);
    const created = await owner.timeout(10_000).emitWithAck('sites:create', { name: 'Other Shop', allowedOrigins: [OTHER_ORIGIN], locale: 'en' });
    if (!created.ok) throw new Error(created.error.message);
    other = created.data;
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.stop();
  });

  it('answers the settings, the hours verdict and the online count, cacheable for 30 s with a strong ETag', async () => {
    await update({ siteKey: 'demo', settings: { accentColor: '#AA3300', position: 'left', greeting: { ru: 'Здравствуйте!', en: 'Hello!' }, businessHours: null } });
    const res = await get('?site=demo');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=30');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{10,}"$/); // strong: no W/
    const body = (await res.json()) as PublicWidgetSettings;
    expect(body).toEqual({
      siteKey: 'demo',
      locale: 'ru',
      settings: expect.objectContaining({ accentColor: '#aa3300', position: 'left', greeting: { ru: 'Здравствуйте!', en: 'Hello!' }, businessHours: null, askEmailWhenOffline: true }),
      open: true,
      operatorsOnline: 1, // the owner's console
    });
    expect(JSON.stringify(body).length).toBeLessThan(2048);
  });

  it('a matching If-None-Match is a 304 without a body; a changed answer gets a new ETag', async () => {
    const first = await get('?site=demo');
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const again = await get('?site=demo', { 'if-none-match': ifNoneMatch });
      expect(again.status, ifNoneMatch).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(await again.text()).toBe('');
    }
    expect((await get('?site=demo', { 'if-none-match': '"something-else"' })).status).toBe(200);

    await update({ siteKey: 'demo', settings: { title: 'СеверНет' } });
    const changed = await get('?site=demo', { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as PublicWidgetSettings).settings.title).toBe('СеверНет');
  });

  it("lets only the site's own origins read it", async () => {
    const own = await get('?site=demo');
    expect(own.headers.get('access-control-allow-origin')).toBe(TEST_ORIGIN);
    expect(own.headers.get('vary')).toMatch(/origin/i);
    const foreign = await get('?site=demo', { origin: OTHER_ORIGIN });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    // The other site's page may read its own site, and not the demo's (the server's own origin is no exception).
    expect((await get(`?site=${other.key}`, { origin: OTHER_ORIGIN })).headers.get('access-control-allow-origin')).toBe(OTHER_ORIGIN);
    expect((await get(`?site=${other.key}`)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('tells whether the site is open by its business hours', async () => {
    await update({ siteKey: other.key, settings: { businessHours: CLOSED_ALL_WEEK } });
    const closed = (await (await get(`?site=${other.key}`, { origin: OTHER_ORIGIN })).json()) as PublicWidgetSettings;
    expect(closed.open).toBe(false);
    expect(closed.settings.businessHours?.awayMessage).toEqual(CLOSED_ALL_WEEK.awayMessage);
    await update({ siteKey: other.key, settings: { businessHours: OPEN_ALL_WEEK } });
    expect(((await (await get(`?site=${other.key}`, { origin: OTHER_ORIGIN })).json()) as PublicWidgetSettings).open).toBe(true);
  });

  it('an unknown site, no site and a disabled site are a 404 JSON error', async () => {
    for (const query of ['?site=no-such-site', '', '?site=', `?site=${'x'.repeat(200)}`]) {
      const res = await get(query);
      expect(res.status, query).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
    await update({ siteKey: other.key, enabled: false });
    const disabled = await get(`?site=${other.key}`, { origin: OTHER_ORIGIN });
    expect(disabled.status).toBe(404);
    expect(disabled.headers.get('access-control-allow-origin')).toBeNull();
    expect(disabled.headers.get('cache-control')).not.toBe('public, max-age=30');
    await update({ siteKey: other.key, enabled: true });
    expect((await get(`?site=${other.key}`, { origin: OTHER_ORIGIN })).status).toBe(200);
  });

  it("a settings change reaches the site's open widgets at once, and no other site's", async () => {
    const demoWidget = visitorSocket(server.url, { visitorId: `visitor-${randomUUID()}` });
    const otherWidget = visitorSocket(server.url, { siteKey: other.key }, { origin: OTHER_ORIGIN });
    sockets.push(demoWidget, otherWidget);
    const otherHeard = collect<PublicWidgetSettings>(otherWidget, 'site:settings');
    await Promise.all([connected(demoWidget), connected(otherWidget)]);
    const pushed = nextEvent<PublicWidgetSettings>(demoWidget, 'site:settings');
    await update({ siteKey: 'demo', settings: { launcherLabel: { ru: 'Напишите нам', en: 'Write to us' }, subtitle: 'Отвечаем за минуту' } });
    const settings = await pushed;
    expect(settings).toMatchObject({ siteKey: 'demo', open: true, settings: { launcherLabel: { ru: 'Напишите нам', en: 'Write to us' }, subtitle: 'Отвечаем за минуту', title: 'СеверНет' } });
    // What the endpoint answers now is what was pushed.
    expect(((await (await get('?site=demo')).json()) as PublicWidgetSettings).settings).toEqual(settings.settings);
    // A change of the other site is the marker that its widget would have heard the demo's by now.
    await update({ siteKey: other.key, settings: { title: 'Other' } });
    await waitFor(() => otherHeard.length === 1);
    expect(otherHeard.map((s) => s.siteKey)).toEqual([other.key]);
  });

  it('disabling a site cuts its open widgets and refuses new ones and its REST calls with site_disabled', async () => {
    const key = await owner.timeout(10_000).emitWithAck('apikeys:create', { siteKey: other.key, name: 'backend' });
    if (!key.ok) throw new Error(key.error.message);
    const apiKey = key.data.key;
    const widget = visitorSocket(server.url, { siteKey: other.key }, { origin: OTHER_ORIGIN });
    sockets.push(widget);
    await connected(widget);
    const cut = nextEvent<string>(widget, 'disconnect');
    await update({ siteKey: other.key, enabled: false });
    expect(await cut).toBe('io server disconnect');
    const refused = visitorSocket(server.url, { siteKey: other.key }, { origin: OTHER_ORIGIN });
    sockets.push(refused);
    await expect(connected(refused)).rejects.toThrow(/^site_disabled/);
    // Its REST channel too, with a key that still exists.
    const rest = await fetch(`${server.url}/api/messages/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ client_id: 'rest-client', content: 'hello' }),
    });
    expect(rest.status).toBe(403);
    expect(((await rest.json()) as { error: { code: string } }).error.code).toBe('site_disabled');
    await update({ siteKey: other.key, enabled: true });
  });
});
