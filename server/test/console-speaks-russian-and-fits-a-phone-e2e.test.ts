/**
 * The console's language and phone layout, in a real browser: opened with a Russian browser language it
 * speaks Russian (login, queue, a conversation and its actions, every tab an admin has: templates,
 * knowledge, sites with their settings, Telegram and team, API keys, canned responses, analytics, profile),
 * the header's switch changes the language and the choice survives a reload; at 390×844 nothing is wider
 * than the screen and queue → conversation → reply works.
 * Needs `pnpm build` and Chromium.
 */
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, startTestServer, visitorSocket, waitFor, type TestServer, type VisitorClient } from './support/test-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/console/console.js', import.meta.url));
const ANNA = { email: 'anna@example.com', password: 'anna-horse-battery', name: 'Анна' };
const OLGA = { email: 'olga@example.com', password: 'olga-horse-battery', name: 'Ольга' };
const UI_TIMEOUT = 20_000;

describe.skipIf(!HAS_CHROMIUM)('the console speaks Russian and fits a phone', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const visitors: VisitorClient[] = [];

  /** A visitor who asks for a person: a queue row for the console. */
  async function escalatedVisitor(): Promise<string> {
    const visitorId = `visitor-${randomUUID()}`;
    const socket = visitorSocket(server.url, { siteKey: 'demo', visitorId });
    visitors.push(socket);
    await connected(socket);
    const ack = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'позовите человека' });
    if (!ack.ok) throw new Error(ack.error.message);
    await waitFor(async () => (await server.services.store.getMessage(ack.data.id))?.category);
    return visitorId;
  }

  async function newPage(options: { locale: string; viewport: { width: number; height: number } }): Promise<Page> {
    const context = await browser.newContext(options);
    contexts.push(context);
    return context.newPage();
  }

  /** Nothing on the page is wider than the viewport. */
  async function overflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
    return page.evaluate(() => {
      const root = document.scrollingElement!;
      return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
    });
  }

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) throw new Error(`${CONSOLE_BUILD} is missing: run \`pnpm build\` before this test`);
    server = await startTestServer('embedded', { DELAYS_ENABLED: 'false' });
    await server.services.auth.upsert({ ...ANNA, role: 'operator', sites: [{ siteKey: 'demo', role: 'operator' }] });
    await server.services.auth.upsert({ ...OLGA, role: 'operator', sites: [{ siteKey: 'demo', role: 'admin' }] });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 120_000);
  afterAll(async () => {
    for (const v of visitors) v.disconnect();
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  it('a Russian browser gets Russian labels; the switch changes the language and it survives a reload', { timeout: 120_000 }, async () => {
    const visitorId = await escalatedVisitor();
    const page = await newPage({ locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/console`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    await page.getByRole('heading', { name: 'Консоль поддержки' }).waitFor({ timeout: UI_TIMEOUT });
    await page.getByLabel('Эл. почта').fill(ANNA.email);
    await page.getByLabel('Пароль').fill(ANNA.password);
    await page.getByRole('button', { name: 'Войти', exact: true }).click();
    await page.getByTestId('connection').getByText('Подключено').waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('button', { name: 'Разговоры', exact: true }).waitFor();
    // The inbox's views and search speak Russian too.
    await page.getByRole('navigation', { name: 'Списки' }).getByRole('button', { name: 'Ждут ответа', exact: true }).waitFor();
    await page.getByRole('search').getByRole('button', { name: 'Найти', exact: true }).waitFor();

    // The queue row names the escalation in Russian; the conversation names its authors in Russian.
    const row = page.getByRole('button', { name: visitorId });
    await row.getByText('Просит человека').first().waitFor({ timeout: UI_TIMEOUT });
    await row.click();
    const conversation = page.getByTestId('conversation');
    await conversation.getByRole('heading', { name: visitorId }).waitFor({ timeout: UI_TIMEOUT });
    await conversation.getByTestId('message').filter({ hasText: 'позовите человека' }).getByText('Посетитель').waitFor({ timeout: UI_TIMEOUT });
    // Its actions too: claimed, it offers hand back and resolve.
    await conversation.getByRole('button', { name: 'Взять', exact: true }).click();
    await conversation.getByTestId('conversation-status').getByText('Отвечаете вы').waitFor({ timeout: UI_TIMEOUT });
    await conversation.getByRole('button', { name: 'Вернуть боту', exact: true }).waitFor();
    await conversation.getByRole('button', { name: 'Закрыть', exact: true }).waitFor();

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('button', { name: 'Conversations', exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await conversation.getByTestId('message').filter({ hasText: 'позовите человека' }).getByText('Visitor').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    await page.reload();
    await page.getByTestId('connection').getByText('Connected').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.getByRole('button', { name: 'Разговоры', exact: true }).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it("an admin's tabs speak Russian: templates, knowledge, sites (settings, Telegram, team), API keys, canned responses, analytics, profile", { timeout: 120_000 }, async () => {
    const page = await newPage({ locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/console`);
    await page.getByLabel('Эл. почта').fill(OLGA.email);
    await page.getByLabel('Пароль').fill(OLGA.password);
    await page.getByRole('button', { name: 'Войти', exact: true }).click();
    await page.getByTestId('connection').getByText('Подключено').waitFor({ timeout: UI_TIMEOUT });
    const tabs = page.getByRole('navigation', { name: 'Разделы' });
    const header = page.locator('header');
    await header.getByRole('combobox', { name: 'Доступность', exact: true }).waitFor();
    await header.getByRole('spinbutton', { name: 'Максимум разговоров', exact: true }).waitFor();

    await tabs.getByRole('button', { name: 'Шаблоны', exact: true }).click();
    await page.getByRole('heading', { name: 'Выберите шаблон' }).waitFor({ timeout: UI_TIMEOUT });
    await page.locator('.template-row').first().click();
    await page.getByLabel('Варианты (по одному на строку)').waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('button', { name: 'Отменить правки', exact: true }).waitFor();

    await tabs.getByRole('button', { name: 'База знаний', exact: true }).click();
    await page.getByRole('button', { name: 'Новая статья', exact: true }).click();
    await page.getByLabel('Текст (Markdown)').waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('button', { name: 'Сохранить', exact: true }).waitFor();
    // An empty title is refused in Russian before anything reaches the server.
    await page.getByLabel('Текст (Markdown)').fill('Текст без заголовка');
    await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
    await page.getByTestId('knowledge-status').getByText('У статьи должен быть заголовок.').waitFor({ timeout: UI_TIMEOUT });

    await tabs.getByRole('button', { name: 'Сайты', exact: true }).click();
    await page.getByRole('button', { name: 'Скопировать сниппет', exact: true }).first().waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('heading', { name: /^Настройки виджета: / }).waitFor({ timeout: UI_TIMEOUT });
    await page.getByLabel('Цвет акцента').waitFor();
    await page.getByRole('button', { name: 'Сохранить настройки', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Команда', exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('form', { name: 'Добавить участника' }).getByRole('combobox', { name: /^Роль/ }).waitFor();
    await page.getByRole('cell', { name: OLGA.email, exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('row').filter({ hasText: OLGA.email }).getByRole('cell', { name: 'администратор', exact: true }).waitFor();
    await page.getByRole('form', { name: 'Бот Telegram' }).getByLabel('Токен бота').waitFor({ timeout: UI_TIMEOUT });

    await tabs.getByRole('button', { name: 'API-ключи', exact: true }).click();
    await page.getByRole('button', { name: 'Создать ключ', exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await tabs.getByRole('button', { name: 'Готовые ответы', exact: true }).click();
    await page.getByRole('button', { name: 'Добавить', exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await tabs.getByRole('button', { name: 'Аналитика', exact: true }).click();
    await page.getByRole('heading', { name: 'Аналитика', exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await tabs.getByRole('button', { name: 'Профиль', exact: true }).click();
    await page.getByRole('heading', { name: 'Мой профиль', exact: true }).waitFor({ timeout: UI_TIMEOUT });

    // None of these tabs left an English heading behind.
    for (const english of ['Templates', 'Knowledge', 'Sites', 'Team', 'API keys', 'Pick a template']) {
      expect(await page.getByRole('heading', { name: english, exact: true }).count()).toBe(0);
    }
  });

  it('at 390×844 nothing overflows and queue → conversation → reply works', { timeout: 120_000 }, async () => {
    const visitorId = await escalatedVisitor();
    const page = await newPage({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    await page.goto(`${server.url}/console`);
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor({ timeout: UI_TIMEOUT });
    const login = await overflow(page);
    expect(login.scrollWidth).toBeLessThanOrEqual(login.clientWidth);
    await page.getByLabel('Email').fill(ANNA.email);
    await page.getByLabel('Password').fill(ANNA.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByTestId('connection').getByText('Connected').waitFor({ timeout: UI_TIMEOUT });

    const row = page.getByRole('button', { name: visitorId });
    await row.waitFor({ timeout: UI_TIMEOUT });
    const queue = await overflow(page);
    expect(queue.scrollWidth).toBeLessThanOrEqual(queue.clientWidth);
    const rowBox = await row.boundingBox();
    expect(rowBox!.height).toBeGreaterThanOrEqual(44);

    // One column: the conversation replaces the list, and the back button brings the list back.
    await row.click();
    const conversation = page.getByTestId('conversation');
    await conversation.getByRole('heading', { name: visitorId }).waitFor({ timeout: UI_TIMEOUT });
    expect(await row.isVisible()).toBe(false);
    await conversation.getByRole('button', { name: 'Claim', exact: true }).click();
    await conversation.getByTestId('conversation-status').getByText('You are answering').waitFor({ timeout: UI_TIMEOUT });
    const reply = page.getByLabel('Reply', { exact: true });
    await reply.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await reply.fill('Здравствуйте, это Анна');
    await reply.press('Enter');
    await conversation.getByTestId('message').filter({ hasText: 'Здравствуйте, это Анна' }).waitFor({ timeout: UI_TIMEOUT });
    const open = await overflow(page);
    expect(open.scrollWidth).toBeLessThanOrEqual(open.clientWidth);
    const back = page.getByRole('button', { name: 'Back', exact: true });
    expect((await back.boundingBox())!.height).toBeGreaterThanOrEqual(44);

    await back.click();
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    expect(await conversation.count()).toBe(0);
  });
});
