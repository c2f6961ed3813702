/**
 * A visitor asks the widget a question one of the site's articles answers: the bot's message is
 * the passage of that article, and under it "Источник: <title>" links to the article's page in a
 * new tab that gets no handle on the chat's page (rel=noopener). An article without an http(s)
 * link is named as plain text. The source is still there after a reload (from history).
 */
import type { KnowledgeArticleInput } from '@support-chat/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import { connected, logInOperator, operatorSocket, STORAGE_MODES, type TestServer } from './support/test-server.ts';
import { botTexts, say } from './support/widget-page.ts';
import { PAYMENT, plain } from './support/knowledge-articles.ts';

const ADMIN = { email: 'kb-admin@example.com', password: 'correct-horse-battery' };
const UI_TIMEOUT = 20_000;

const ROUTER: KnowledgeArticleInput = {
  slug: 'router-lights',
  title: 'Индикаторы роутера',
  url: null,
  locale: 'ru',
  body: [
    'Если индикатор WAN на роутере горит красным, проверьте, что кабель провайдера плотно вставлен в порт WAN.',
    '',
    'Мигающий оранжевый индикатор значит, что роутер обновляет прошивку. Не выключайте роутер, обновление занимает до 10 минут.',
  ].join('\n'),
};

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe.skipIf(!hasChromium).each(STORAGE_MODES)('widget: an answer from the knowledge base shows its source (%s)', (mode) => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerForBrowser(mode, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, DELAYS_ENABLED: 'false' });
    const admin = operatorSocket(server.url, await logInOperator(server.url, ADMIN));
    try {
      await connected(admin);
      for (const article of [PAYMENT, ROUTER]) {
        const ack = await admin.timeout(10_000).emitWithAck('knowledge:save', article);
        if (!ack.ok) throw new Error(`knowledge:save refused: ${ack.error.message}`);
      }
    } finally {
      admin.disconnect();
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the passage and a new-tab link to its article with rel=noopener, also after a reload', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 400, height: 800 } });
    // The article's page, served here: this machine has no way out to the internet.
    await context.route('https://help.example.net/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Оплата</title>ok' }));
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/`);
      await page.getByRole('button', { name: 'Открыть чат' }).click();
      await say(page, 'Здравствуйте');
      await expect.poll(() => botTexts(page), { timeout: UI_TIMEOUT }).toHaveLength(1);
      await say(page, 'а через сбп оплатить можно? комиссия есть?');

      const answer = page.locator('.m.bot', { has: page.locator('.src') });
      await answer.waitFor({ timeout: UI_TIMEOUT });
      const passage = squash((await botTexts(page)).at(-1)!);
      expect(passage).toMatch(/СБП/);
      expect(plain(PAYMENT.body)).toContain(passage);

      const source = answer.locator('.src');
      expect(squash(await source.innerText())).toBe('Источник: Способы оплаты');
      const link = source.getByRole('link', { name: 'Способы оплаты' });
      expect(await link.getAttribute('href')).toBe('https://help.example.net/payment');
      expect(await link.getAttribute('target')).toBe('_blank');
      expect((await link.getAttribute('rel'))!.split(/\s+/)).toContain('noopener');

      // A new tab opens on the article, and it cannot reach back into the chat's page.
      const [tab] = await Promise.all([context.waitForEvent('page'), link.click()]);
      await tab.waitForLoadState();
      expect(tab.url()).toBe('https://help.example.net/payment');
      expect(await tab.evaluate(() => window.opener)).toBeNull();
      await tab.close();

      await page.reload();
      await page.getByRole('button', { name: 'Открыть чат' }).click();
      await page.locator('.m.bot .src a[href="https://help.example.net/payment"]').waitFor({ timeout: UI_TIMEOUT });
    } finally {
      await context.close();
    }
  });

  it('names an article without a link as text', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 400, height: 800 } });
    try {
      await page.goto(`${server.url}/`);
      await page.getByRole('button', { name: 'Открыть чат' }).click();
      await say(page, 'Здравствуйте');
      await expect.poll(() => botTexts(page), { timeout: UI_TIMEOUT }).toHaveLength(1);
      await say(page, 'индикатор wan горит красным, что делать?');

      const source = page.locator('.m.bot .src');
      await source.waitFor({ timeout: UI_TIMEOUT });
      expect(squash(await source.innerText())).toBe('Источник: Индикаторы роутера');
      expect(await source.locator('a').count()).toBe(0);
      expect(plain(ROUTER.body)).toContain(squash((await botTexts(page)).at(-1)!));
    } finally {
      await page.close();
    }
  });
});
