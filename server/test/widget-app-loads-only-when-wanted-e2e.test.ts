/**
 * The host page pays for the chat app only when it is wanted: a page view with the launcher left
 * alone fetches the loader and nothing else, even once the browser is idle; pointing at the
 * launcher downloads the app without starting it (no socket); opening starts it; and a browser
 * that already has a conversation on the site gets the app at once, to show its replies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import type { TestServer } from './support/test-server.ts';
import { botTexts, say } from './support/widget-page.ts';

const APP = /\/widget-app-[\w-]+\.js$/;

/** Every widget request and socket the page makes, from before its first navigation. */
function watch(page: Page) {
  const seen = { app: 0, loader: 0, sockets: 0 };
  page.on('request', (r) => {
    const { pathname } = new URL(r.url());
    if (APP.test(pathname)) seen.app++;
    if (pathname === '/widget.js') seen.loader++;
  });
  page.on('websocket', () => seen.sockets++);
  return seen;
}

/** Resolves when the page is loaded and the browser has gone idle twice: the moment the old loader fetched the app. */
async function loadedAndIdle(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  await page.getByRole('button', { name: /Открыть чат/ }).waitFor();
  for (let i = 0; i < 2; i++) {
    await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 5_000 })));
  }
}

describe.skipIf(!hasChromium)('the widget app loads only when it is wanted', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerForBrowser('embedded');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('is not fetched on a page view, is downloaded on hover without starting, and starts on open', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(`${server.url}/`);
    await loadedAndIdle(page);
    expect(seen).toEqual({ app: 0, loader: 1, sockets: 0 });

    const launcher = page.getByRole('button', { name: 'Открыть чат' });
    const download = page.waitForResponse((r) => APP.test(new URL(r.url()).pathname));
    await launcher.hover();
    expect((await download).headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    await loadedAndIdle(page);
    expect(seen.sockets).toBe(0);
    expect(await page.locator('#sc-panel').count()).toBe(0);

    await launcher.click();
    await page.getByLabel('Сообщение').waitFor();
    await expect.poll(() => seen.sockets).toBeGreaterThan(0);
    // The import reused the hover's download.
    expect(seen.app).toBe(1);
    await context.close();
  });

  it('is downloaded when the launcher gets keyboard focus', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(`${server.url}/`);
    await loadedAndIdle(page);
    expect(seen.app).toBe(0);

    const download = page.waitForRequest((r) => APP.test(new URL(r.url()).pathname));
    await page.getByRole('button', { name: 'Открыть чат' }).focus();
    await download;
    await context.close();
  });

  it('is fetched and started at once when this browser already has a conversation', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const first = await context.newPage();
    await first.goto(`${server.url}/`);
    await first.getByRole('button', { name: 'Открыть чат' }).click();
    await say(first, 'Привет');
    await expect.poll(() => botTexts(first), { timeout: 15_000 }).toHaveLength(1);
    await first.close();

    // A later page view, launcher untouched: the conversation is back with its reply.
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(`${server.url}/`);
    await expect.poll(() => botTexts(page), { timeout: 10_000 }).toHaveLength(1);
    expect(seen.app).toBe(1);
    expect(seen.sockets).toBeGreaterThan(0);
    expect(await page.locator('#sc-panel').isHidden()).toBe(true);
    await context.close();
  });
});
