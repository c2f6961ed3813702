/**
 * Two tabs of one site in one browser: both show the conversation live, and a reply that
 * arrives while the visitor is elsewhere blinks the title of one tab only, the one looked at last.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import type { TestServer } from './support/test-server.ts';
import { botTexts, say } from './support/widget-page.ts';

/** Every title a page shows over `ms` (the blink alternates once a second). */
async function titlesDuring(a: Page, b: Page, ms: number): Promise<[string[], string[]]> {
  const seen = [new Set<string>(), new Set<string>()];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const titles = await Promise.all([a.title(), b.title()]);
    titles.forEach((t, i) => seen[i]!.add(t));
    await new Promise((r) => setTimeout(r, 100));
  }
  return [[...seen[0]!], [...seen[1]!]];
}

describe.skipIf(!hasChromium)('two tabs of one site', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerForBrowser('embedded', {
      DELAYS_ENABLED: 'true',
      RESPONSE_DELAY_SECONDS: '2.5',
      TYPING_MAX_SECONDS: '0.2',
      PACING_JITTER: '0',
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('show the same conversation live and blink in one tab only', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const a = await context.newPage();
    await a.goto(`${server.url}/`);
    await a.getByRole('button', { name: 'Открыть чат' }).click();
    await say(a, 'Привет');
    await expect.poll(() => botTexts(a), { timeout: 15_000 }).toHaveLength(1);

    // The second tab opens on the conversation so far and stays connected with its panel closed.
    const b = await context.newPage();
    await b.goto(`${server.url}/`);
    await expect.poll(() => botTexts(b), { timeout: 10_000 }).toHaveLength(1);
    const title = await a.title();

    // The visitor looks at tab A last, asks, closes the panel and goes off to read the page.
    await a.evaluate(() => window.dispatchEvent(new Event('focus')));
    await say(a, 'Сколько стоит тариф на 500 Мбит?');
    await a.getByLabel('Сообщение').press('Escape');
    expect(await a.locator('#sc-panel').isHidden()).toBe(true);
    expect(await botTexts(a)).toHaveLength(1); // the panel closed before the reply came

    await expect.poll(() => botTexts(b), { timeout: 15_000 }).toHaveLength(2);
    await expect.poll(() => botTexts(a), { timeout: 5_000 }).toHaveLength(2);
    expect(await botTexts(b)).toEqual(await botTexts(a));
    // Tab B got the visitor's own message from tab A live too.
    await expect.poll(() => b.locator('.m.visitor').allInnerTexts()).toHaveLength(2);

    const [titlesA, titlesB] = await titlesDuring(a, b, 2_500);
    expect(titlesA.some((t) => t.startsWith('💬'))).toBe(true);
    expect(titlesB).toEqual([title]);
    // Both launchers count the unread reply; only the blink is limited to one tab.
    expect(await b.getByRole('button', { name: 'Открыть чат (1)' }).count()).toBe(1);
    await context.close();
  });
});
