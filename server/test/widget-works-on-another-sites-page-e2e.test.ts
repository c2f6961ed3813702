/**
 * The widget under the server's security headers, on a customer's page of another origin, in
 * Chromium: the loader and the app load cross-origin (no CORP or CSP of ours gets in the way), the
 * visitor chats, and a message the server refuses as rate limited shows the server's reason and
 * when to retry instead of a bare "Не отправлено".
 */
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, hasChromium, launchChromium } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { botTexts, say } from './support/widget-page.ts';

/** A customer's page on its own origin, carrying only the snippet. */
async function hostPage(port: number, widgetOrigin: string): Promise<Server> {
  const html = `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Магазин</title></head>
<body><h1>Магазин</h1><script async src="${widgetOrigin}/widget.js" data-site="demo"></script></body></html>`;
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe.skipIf(!hasChromium)('widget on another site\'s page, under our headers', () => {
  let server: TestServer;
  let host: Server;
  let hostUrl: string;
  let browser: Browser;
  const problems: string[] = [];

  const open = async (): Promise<Page> => {
    const page = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('requestfailed', (r) => problems.push(`${r.url()}: ${r.failure()?.errorText}`));
    await page.goto(hostUrl);
    await page.getByRole('button', { name: 'Открыть чат' }).click();
    return page;
  };

  beforeAll(async () => {
    const port = await freePort();
    // localhost vs 127.0.0.1: another origin than the server's, as a customer's site is.
    hostUrl = `http://localhost:${port}`;
    server = await startTestServer('embedded', {
      ALLOWED_ORIGINS: hostUrl,
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_MESSAGE_PER_MINUTE: '2',
    });
    host = await hostPage(port, server.url);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => host?.close(resolve));
    await server?.stop();
  });

  it('loads cross-origin and chats; the message over the limit says why and when to retry', { timeout: 60_000 }, async () => {
    const page = await open();
    await say(page, 'Привет');
    await expect.poll(() => botTexts(page), { timeout: 15_000 }).toHaveLength(1);
    expect(problems).toEqual([]);

    await say(page, 'Какие у вас тарифы?');
    await say(page, 'И ещё вопрос');
    const refused = page.locator('.m.visitor.failed .err');
    await refused.waitFor({ timeout: 15_000 });
    expect(await refused.innerText()).toMatch(/^ · Вы пишете слишком часто — можно снова через \d+ с$/);
    await page.close();
  });
});
