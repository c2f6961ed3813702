/**
 * The chat server refuses the widget's handshake — the page's origin is not among the site's
 * allowed origins, or the snippet names a site that does not exist. The visitor reads that the
 * chat is not available here (not an endless "Подключение…"), the site's developer gets one
 * console warning naming the page's origin and what to allow, and the widget stops trying. A
 * network failure is not a refusal: that widget keeps connecting and retrying.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from './support/browser.ts';
import { snippet, startHostSite, type HostSite } from './support/host-page.ts';
import { startStaticSite, type StaticSite } from './support/static-site.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const page = (lang: string, widgetOrigin: string, site: string) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Shop</title></head><body><h1>Shop</h1>${snippet(widgetOrigin, site)}</body></html>`;

interface Watched {
  page: Page;
  context: BrowserContext;
  warnings: string[];
  errors: string[];
  /** WebSockets the page has constructed so far (counted in the page, so nothing is in flight). */
  sockets: () => Promise<number>;
}

/** A page on a fake clock (to jump past every reconnection delay), its console and its WebSockets watched. */
async function watched(browser: Browser): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.clock.install();
  await context.addInitScript(() => {
    const Native = window.WebSocket;
    const counted = { n: 0 };
    (window as unknown as { sockets: typeof counted }).sockets = counted;
    window.WebSocket = class extends Native {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        counted.n++;
      }
    };
  });
  const p = await context.newPage();
  const warnings: string[] = [];
  const errors: string[] = [];
  p.on('console', (m) => (m.type() === 'warning' ? warnings : m.type() === 'error' ? errors : []).push(m.text()));
  p.on('pageerror', (e) => errors.push(e.message));
  return { page: p, context, warnings, errors, sockets: () => p.evaluate(() => (window as unknown as { sockets: { n: number } }).sockets.n) };
}

describe.skipIf(!hasChromium)('widget on a site that refuses it', () => {
  let server: TestServer;
  let site: HostSite;
  let noSockets: StaticSite;
  let browser: Browser;

  beforeAll(async () => {
    site = await startHostSite();
    // The demo site allows its own origin (both loopback names of the server's port), not this page's.
    server = await startTestServer('embedded');
    site.pages.set('/not-allowed', { html: page('ru', server.url, 'demo') });
    site.pages.set('/unknown-site', { html: page('en', server.url, 'no-such-site') });
    // The widget's files from a server that has no chat server behind it: every connection attempt fails.
    noSockets = await startStaticSite();
    site.pages.set('/network-down', { html: page('ru', noSockets.widgetOrigin, 'demo') });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await noSockets?.close();
    await server?.stop();
  });

  for (const [path, openChat, unavailable, mentions] of [
    ['/not-allowed', 'Открыть чат', 'Чат недоступен на этом сайте', 'origin_not_allowed'],
    ['/unknown-site', 'Open chat', 'Chat is not available on this site', 'no-such-site'],
  ] as const) {
    it(`${path}: the visitor reads "${unavailable}", the console has one warning naming the origin, and nothing is retried`, { timeout: 60_000 }, async () => {
      const w = await watched(browser);
      await w.page.goto(`${site.origin}${path}`);
      await w.page.getByRole('button', { name: openChat }).click();
      await w.page.locator('.presence').getByText(unavailable).waitFor({ timeout: 15_000 });
      // Nothing to type into: a message could not be sent.
      expect(await w.page.locator('textarea').count()).toBe(0);
      expect(await w.page.getByText(/Подключение…|Connecting…/).count()).toBe(0);

      expect(w.warnings).toHaveLength(1);
      expect(w.warnings[0]).toContain(`add ${site.origin} to the allowed origins`);
      expect(w.warnings[0]).toContain(mentions);
      expect(w.errors).toEqual([]);

      // Past every reconnection delay socket.io could have scheduled: no second attempt, no second warning.
      const attempts = await w.sockets();
      expect(attempts).toBeGreaterThan(0);
      await w.page.clock.fastForward('05:00');
      await w.page.getByRole('button', { name: /Закрыть чат|Close chat/ }).first().click();
      await w.page.getByRole('button', { name: openChat }).click();
      expect(await w.sockets()).toBe(attempts);
      expect(w.warnings).toHaveLength(1);
      await w.page.locator('.presence').getByText(unavailable).waitFor();
      await w.context.close();
    });
  }

  it('a network failure is not a refusal: the widget keeps "Подключение…" and retries', { timeout: 60_000 }, async () => {
    const w = await watched(browser);
    await w.page.goto(`${site.origin}/network-down`);
    await w.page.getByRole('button', { name: 'Открыть чат' }).click();
    await w.page.locator('.presence').getByText('Подключение…').waitFor();
    await expect.poll(() => w.sockets()).toBeGreaterThan(0);
    const attempts = await w.sockets();
    await w.page.clock.fastForward('05:00');
    await expect.poll(() => w.sockets()).toBeGreaterThan(attempts);
    expect(await w.page.getByText('Чат недоступен на этом сайте').count()).toBe(0);
    expect(w.warnings).toEqual([]);
    await w.context.close();
  });
});
