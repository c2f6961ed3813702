/**
 * A site's `avatarUrl` in Chromium: the open widget's header shows it as a small decorative image
 * (alt="", 36 px), and takes it away again when the setting is cleared — live, without a reload.
 */
import type { WidgetSettings } from '@support-chat/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from './support/browser.ts';
import { snippet, startHostSite, type HostSite } from './support/host-page.ts';
import { connected, logInOperator, operatorSocket, startTestServer, type OperatorClient, type TestServer } from './support/test-server.ts';

const OWNER = { email: 'owner@example.com', password: 'owner password 0123' };
const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="30" fill="#0a7d33"/></svg>';

describe.skipIf(!hasChromium)("the widget's header shows the site's avatar (e2e)", () => {
  let server: TestServer;
  let site: HostSite;
  let browser: Browser;
  let owner: OperatorClient;

  const update = async (settings: Partial<WidgetSettings>) => {
    expect((await owner.timeout(10_000).emitWithAck('sites:update', { siteKey: 'demo', settings })).ok).toBe(true);
  };

  beforeAll(async () => {
    site = await startHostSite();
    server = await startTestServer('embedded', { ALLOWED_ORIGINS: site.origin, ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password });
    site.pages.set('/', { html: `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Магазин</title></head><body><h1>Магазин</h1>${snippet(server.url)}</body></html>` });
    site.pages.set('/logo.svg', { html: LOGO, headers: { 'content-type': 'image/svg+xml' } });
    owner = operatorSocket(server.url, await logInOperator(server.url, OWNER));
    await connected(owner);
    browser = await launchChromium();
  });
  afterAll(async () => {
    owner?.disconnect();
    await browser?.close();
    await site?.close();
    await server?.stop();
  });

  it('shows the avatar as a small decorative image, and removes it when the setting is cleared', { timeout: 60_000 }, async () => {
    await update({ avatarUrl: `${site.origin}/logo.svg` });
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await p.goto(`${site.origin}/`);
    await p.getByRole('button', { name: 'Открыть чат' }).click();
    await p.getByLabel('Сообщение').waitFor();
    const avatar = p.locator('support-chat .head img');
    await avatar.waitFor({ timeout: 10_000 });
    expect(await avatar.getAttribute('src')).toBe(`${site.origin}/logo.svg`);
    expect(await avatar.getAttribute('alt')).toBe('');
    await expect.poll(() => avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);
    const box = await avatar.boundingBox();
    expect([box?.width, box?.height]).toEqual([36, 36]);
    // The title still has the header's room beside it.
    expect(await p.locator('support-chat .head h2').isVisible()).toBe(true);

    await update({ avatarUrl: null });
    await expect.poll(() => avatar.count(), { timeout: 10_000 }).toBe(0);
  });
});
