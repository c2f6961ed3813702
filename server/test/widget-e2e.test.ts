/**
 * The whole visitor path in a real browser: the demo page carries only the script tag; the
 * launcher opens the lazily loaded Preact app; "Привет" shows the typing indicator, then a
 * template reply; a reload shows the conversation again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import { STORAGE_MODES, type TestServer } from './support/test-server.ts';
import { botTexts, isVariantOf } from './support/widget-page.ts';

describe.skipIf(!hasChromium).each(STORAGE_MODES)('widget in Chromium (%s)', (mode) => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerForBrowser(mode, {
      DELAYS_ENABLED: 'true',
      RESPONSE_DELAY_SECONDS: '1',
      TYPING_MAX_SECONDS: '0.5',
      PACING_JITTER: '0',
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens, sends "Привет", shows typing then the reply, and keeps it across a reload', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
    await page.goto(`${server.url}/`);
    expect(await page.locator('script[src$="/widget.js"][data-site="demo"]').count()).toBe(1);

    await page.getByRole('button', { name: 'Открыть чат' }).click();
    const input = page.getByLabel('Сообщение');
    await input.fill('Привет');
    await input.press('Enter');

    const log = page.getByRole('log');
    await expect.poll(() => log.innerText(), { timeout: 10_000 }).toContain('Привет');
    await page.getByText('Печатает…').waitFor({ timeout: 10_000 });
    // The first message is a greeting: the reply is one of the GREETING variants, nothing else.
    await expect.poll(() => botTexts(page), { timeout: 15_000 }).toHaveLength(1);
    const [reply] = await botTexts(page);
    expect(isVariantOf(reply!, 'GREETING'), reply).toBe(true);
    await expect.poll(() => page.getByText('Печатает…').count(), { timeout: 5_000 }).toBe(0);
    const before = await log.innerText();

    await page.reload();
    await page.getByRole('button', { name: 'Открыть чат' }).click();
    await expect.poll(() => botTexts(page), { timeout: 10_000 }).toEqual([reply]);
    expect(await page.getByRole('log').innerText()).toContain('Привет');
    expect(before).toContain(reply);
    expect(scripts).toContain('/widget.js');
    expect(scripts.some((s) => /^\/widget-app-[\w-]+\.js$/.test(s))).toBe(true);
    await page.close();
  });

  it('renders message text as text, never as HTML', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Открыть чат' }).click();
    const input = page.getByLabel('Сообщение');
    await input.fill('<img src=x onerror="window.__xss=1"><b>bold</b>');
    await input.press('Enter');
    await expect.poll(() => page.getByRole('log').innerText(), { timeout: 10_000 }).toContain('<b>bold</b>');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.close();
  });
});
