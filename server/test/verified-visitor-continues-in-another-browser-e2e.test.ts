/**
 * A logged-in customer identified by the site's backend (`SupportChat('identify', …)` with the
 * HMAC of their user id) sees the same conversation in another browser (a separate context: its
 * own storage, so its own anonymous visitor id); once the page stops identifying them (logged
 * out), that browser no longer shows it. A forged signature is refused and said so in the
 * browser console, for the site's developer.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from '../src/domain/templates/default-templates.ts';
import { identitySignature } from '../src/socket/visitor-identity.ts';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import type { TestServer } from './support/test-server.ts';
import { botTexts, say } from './support/widget-page.ts';

const SECRET = 'e2e-identity-secret-0123456789abcdef';

describe.skipIf(!hasChromium)('a verified visitor in another browser', () => {
  let server: TestServer;
  let browser: Browser;
  let siteKey: string;

  beforeAll(async () => {
    server = await startServerForBrowser('embedded');
    browser = await launchChromium();
    const site = await server.services.store.upsertSite({ key: `shop-${randomUUID().slice(0, 8)}`, name: 'Shop', locale: 'ru', allowedOrigins: [server.url], identitySecret: SECRET });
    await server.services.store.seedTemplates(site.id, DEFAULT_TEMPLATES);
    siteKey = site.key;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The customer's page on the site's origin, identifying the user (null: logged out) before the loader runs. */
  async function customerPage(context: BrowserContext, identity: { userId: string; signature: string } | null) {
    const path = identity ? '/account' : '/home';
    await context.route(`${server.url}${path}`, (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html><html lang="ru"><head><title>Кабинет</title></head><body><h1>Кабинет</h1>
<script>window.SupportChat = function () { (SupportChat.q = SupportChat.q || []).push(arguments) };
${identity ? `SupportChat('identify', ${JSON.stringify(identity)});` : ''}</script>
<script async src="${server.url}/widget.js" data-site="${siteKey}"></script></body></html>`,
      }),
    );
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${server.url}${path}`);
    await page.getByRole('button', { name: 'Открыть чат' }).click();
    return { page, errors };
  }

  it('shows the conversation started in one browser in the other, forgets it on logout, and refuses a forged signature', { timeout: 60_000 }, async () => {
    const userId = `customer-${randomUUID()}`;
    const first = await browser.newContext();
    const second = await browser.newContext();
    const forger = await browser.newContext();
    try {
      const a = await customerPage(first, { userId, signature: identitySignature(SECRET, userId) });
      await say(a.page, 'Где мой заказ 4242?');
      await expect.poll(() => botTexts(a.page), { timeout: 15_000 }).toHaveLength(1);

      const b = await customerPage(second, { userId, signature: identitySignature(SECRET, userId) });
      await expect.poll(() => b.page.locator('.m.visitor').allInnerTexts(), { timeout: 15_000 }).toEqual([expect.stringContaining('Где мой заказ 4242?')]);
      expect(await botTexts(b.page)).toEqual(await botTexts(a.page));

      // Logged out, on the same browser: the user's conversation is not shown to whoever is here now.
      await a.page.close();
      const out = await customerPage(first, null);
      await expect.poll(() => out.page.evaluate((key) => localStorage.getItem(key), `sc:${siteKey}:messages`), { timeout: 15_000 }).toBe('[]');
      expect(await out.page.locator('.m.visitor').count()).toBe(0);

      const c = await customerPage(forger, { userId, signature: identitySignature('guessed-secret', userId) });
      await expect.poll(() => c.errors.join('\n'), { timeout: 15_000 }).toMatch(/invalid_identity/);
      expect(await c.page.locator('.m.visitor').count()).toBe(0);
    } finally {
      await Promise.all([first.close(), second.close(), forger.close()]);
    }
  });
});
