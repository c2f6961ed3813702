/**
 * The console's "Knowledge" tab in a real browser: an admin writes an article with a live
 * Markdown preview, saves it, edits it into one carrying HTML (shown as its characters, nothing
 * injected, no script run), disables it and deletes it; what the server stores follows every step.
 * An operator who is not an admin reads the articles but gets no way to change them.
 * Needs the built console (`pnpm build` → dist/console) and Chromium at /usr/bin/chromium.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KnowledgeArticleDto } from '@support-chat/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import { connected, logInOperator, operatorSocket, type OperatorClient, type TestServer } from './support/test-server.ts';

const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/console/console.js', import.meta.url));
const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery' };
const OPERATOR = { email: 'olga@example.com', password: 'another-horse-battery', name: 'Ольга' };
const UI_TIMEOUT = 20_000;

const FIRST_BODY = [
  '## Как оплатить',
  '',
  'Оплатить можно **картой** или *через СБП* — [подробнее](https://help.example.net/pay).',
  'Ссылка [другая](javascript:window.__xss=3) остаётся текстом.',
  '',
  '- в личном кабинете',
  '- в терминалах партнёров',
].join('\n');

const INJECTION = '<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> <b>bold?</b>';
const SECOND_BODY = `# Оплата и счета\n\n${INJECTION}\n\n1. Откройте **Баланс**\n2. Нажмите «Пополнить»`;

async function logIn(page: Page, url: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${url}/console`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByTestId('connection').getByText('Connected').waitFor({ timeout: UI_TIMEOUT });
}

/** True when the page ran none of the bodies' scripts and added none of their elements. */
async function nothingInjected(page: Page): Promise<boolean> {
  const ran = await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss !== undefined);
  const injected = await page.locator('[data-testid="knowledge-preview"] :is(img, script, b, [onerror])').count();
  return !ran && injected === 0;
}

describe.skipIf(!hasChromium)('console: knowledge articles (e2e)', () => {
  let server: TestServer;
  let browser: Browser;
  let reader: OperatorClient;

  /** What the server stores, read over the admin's socket rather than the page under test. */
  const stored = async (): Promise<KnowledgeArticleDto[]> => {
    const ack = await reader.timeout(10_000).emitWithAck('knowledge:list');
    if (!ack.ok) throw new Error(ack.error.message);
    return ack.data.articles;
  };

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) throw new Error(`${CONSOLE_BUILD} is missing: run \`pnpm build\` before this test`);
    server = await startServerForBrowser('embedded', { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    await server.services.auth.upsert({ email: OPERATOR.email, password: OPERATOR.password, name: OPERATOR.name, role: 'operator', sites: [{ siteKey: 'demo', role: 'operator' }] });
    reader = operatorSocket(server.url, await logInOperator(server.url, ADMIN));
    await connected(reader);
    browser = await launchChromium();
  });
  afterAll(async () => {
    reader?.disconnect();
    await browser?.close();
    await server?.stop();
  });

  it('an admin creates an article with a formatted preview, edits in HTML that stays text, disables and deletes it', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await logIn(page, server.url, ADMIN);
      await page.getByRole('button', { name: 'Knowledge', exact: true }).click();
      await page.getByText('No articles yet.').waitFor({ timeout: UI_TIMEOUT });

      // Create: the preview follows the text as it is typed.
      await page.getByRole('button', { name: 'New article' }).click();
      await page.getByLabel('Title').fill('Способы оплаты');
      await page.getByLabel('Slug').fill('payment');
      await page.getByLabel('Link (“read more”)').fill('https://help.example.net/payment');
      await page.getByLabel('Language', { exact: true }).fill('ru');
      await page.getByLabel('Text (Markdown)').fill(FIRST_BODY);
      const preview = page.getByTestId('knowledge-preview');
      await preview.getByRole('heading', { name: 'Как оплатить', level: 2 }).waitFor({ timeout: UI_TIMEOUT });
      expect(await preview.locator('strong').allTextContents()).toEqual(['картой']);
      expect(await preview.locator('em').allTextContents()).toEqual(['через СБП']);
      expect(await preview.locator('ul > li').allTextContents()).toEqual(['в личном кабинете', 'в терминалах партнёров']);
      const links = preview.locator('a');
      expect(await links.count()).toBe(1);
      expect(await links.getAttribute('href')).toBe('https://help.example.net/pay');
      expect(await links.getAttribute('rel')).toContain('noopener');
      expect(await links.getAttribute('target')).toBe('_blank');
      expect(await preview.innerText()).toContain('Ссылка другая остаётся текстом.');
      expect(await preview.innerText()).not.toContain('**');

      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByTestId('knowledge-status').getByText(/^Saved/).waitFor({ timeout: UI_TIMEOUT });
      const row = page.getByRole('row', { name: /Способы оплаты/ });
      await row.waitFor({ timeout: UI_TIMEOUT });
      expect(await row.textContent()).toContain('payment');
      const [created] = await stored();
      expect(created).toMatchObject({ slug: 'payment', title: 'Способы оплаты', url: 'https://help.example.net/payment', locale: 'ru', enabled: true, body: FIRST_BODY });

      // Edit: HTML in an article is shown as the characters it is, live and once saved.
      await page.getByLabel('Title').fill('Оплата и счета');
      await page.getByLabel('Text (Markdown)').fill(SECOND_BODY);
      await preview.getByRole('heading', { name: 'Оплата и счета', level: 1 }).waitFor({ timeout: UI_TIMEOUT });
      expect(await preview.innerText()).toContain(INJECTION);
      expect(await preview.locator('ol > li').allTextContents()).toEqual(['Откройте Баланс', 'Нажмите «Пополнить»']);
      expect(await nothingInjected(page)).toBe(true);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByTestId('knowledge-status').getByText(/^Saved/).waitFor({ timeout: UI_TIMEOUT });
      // The same article changed, not a second one.
      expect(await stored()).toEqual([expect.objectContaining({ id: created!.id, slug: 'payment', title: 'Оплата и счета', body: SECOND_BODY })]);

      // The stored article, opened afresh, still previews as text.
      await page.reload();
      await page.getByRole('button', { name: 'Knowledge', exact: true }).click();
      await page.getByRole('button', { name: 'Оплата и счета' }).click();
      await preview.getByText(INJECTION).waitFor({ timeout: UI_TIMEOUT });
      expect(await nothingInjected(page)).toBe(true);

      // Disable from the list: the server has it disabled, the checkbox shows what it acknowledged.
      const enabled = page.getByRole('checkbox', { name: 'Enabled: Оплата и счета' });
      expect(await enabled.isChecked()).toBe(true);
      await enabled.click();
      await expect.poll(() => enabled.isChecked(), { timeout: UI_TIMEOUT }).toBe(false);
      expect((await stored())[0]!.enabled).toBe(false);

      // Delete, after the confirmation.
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      await page.getByText('No articles yet.').waitFor({ timeout: UI_TIMEOUT });
      expect(await stored()).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an operator who is not an admin reads an article but cannot change it', { timeout: 60_000 }, async () => {
    const ack = await reader.timeout(10_000).emitWithAck('knowledge:save', { title: 'Переезд', slug: 'moving', body: 'Переезд **бесплатный**.' });
    if (!ack.ok) throw new Error(ack.error.message);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await logIn(page, server.url, OPERATOR);
      await page.getByRole('button', { name: 'Knowledge', exact: true }).click();
      await page.getByRole('button', { name: 'Переезд' }).click();
      await page.getByTestId('knowledge-preview').locator('strong').getByText('бесплатный').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByRole('button', { name: 'New article' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^(Save|Delete)$/ }).count()).toBe(0);
      expect(await page.getByLabel('Text (Markdown)').getAttribute('readonly')).not.toBeNull();
      expect(await page.getByRole('checkbox', { name: 'Enabled: Переезд' }).isDisabled()).toBe(true);
    } finally {
      await context.close();
      await reader.timeout(10_000).emitWithAck('knowledge:delete', { id: ack.data.id });
    }
  });
});
