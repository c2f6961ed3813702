/**
 * Sites as data, through the console in Chromium: the deployment's owner creates a site (name,
 * allowed origin, language) in the Sites tab, reads its snippet and adds an admin to its team;
 * the snippet, pasted into a page of the allowed origin, opens the chat; the admin changes the
 * accent colour and the title, and the widget already open on that page shows both within
 * seconds, without a reload.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import { startHostSite, type HostSite } from './support/host-page.ts';
import type { TestServer } from './support/test-server.ts';

const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/console/index.html', import.meta.url));
const OWNER = { email: 'owner@e2e.test', password: 'owner-password-1' };
const ADMIN = { email: 'admin@north.test', password: 'north-admin-pass', name: 'Анна Север' };
const UI_TIMEOUT = 15_000;

async function logIn(page: Page, url: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${url}/console`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByTestId('connection').getByText('Connected').waitFor({ timeout: UI_TIMEOUT });
}

describe.skipIf(!hasChromium)('a site owner creates a site and its admin restyles the widget (e2e)', () => {
  let server: TestServer;
  let host: HostSite;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) throw new Error(`${CONSOLE_BUILD} is missing: run \`pnpm build\` before this test`);
    host = await startHostSite();
    server = await startServerForBrowser('embedded', { ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await server?.stop();
  });

  it('creates the site, its snippet opens the chat on the allowed page, and a settings change reaches the open widget', { timeout: 120_000 }, async () => {
    const pageErrors: string[] = [];
    const consoleContext = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const owner = await consoleContext.newPage();
    owner.on('pageerror', (error) => pageErrors.push(error.message));

    // The owner creates the site in the Sites tab and reads its snippet.
    await logIn(owner, server.url, OWNER);
    await owner.getByRole('button', { name: 'Sites', exact: true }).click();
    const create = owner.getByRole('form', { name: 'New site' });
    await create.getByLabel('Site name').fill('Магазин Север');
    await create.getByLabel('Allowed origins').fill(host.origin);
    await create.getByLabel('Language').selectOption('ru');
    await create.getByRole('button', { name: 'Create site' }).click();
    await owner.getByText('Site "Магазин Север" created').waitFor({ timeout: UI_TIMEOUT });
    const item = owner.locator('.site-list li').filter({ hasText: 'Магазин Север' });
    const snippet = await item.getByTestId('site-snippet').innerText();
    const key = /data-site="([^"]+)"/.exec(snippet)?.[1];
    expect(key).toBeTruthy();
    expect(snippet).toBe(`<script async src="${server.url}/widget.js" data-site="${key}"></script>`);
    // With two sites now, the header offers the picker, on the new one.
    expect(await owner.getByLabel('Site', { exact: true }).inputValue()).toBe(key);

    // …and gives the site an admin: a new account.
    const team = owner.getByRole('form', { name: 'Add a member' });
    await team.getByLabel('Email', { exact: true }).fill(ADMIN.email);
    await team.getByLabel('Name (new account)').fill(ADMIN.name);
    await team.getByLabel('Password (new account)').fill(ADMIN.password);
    await team.getByLabel('Role').selectOption('admin');
    await team.getByRole('button', { name: 'Add' }).click();
    await owner.getByText(`${ADMIN.email} got an account and joined as admin.`).waitFor({ timeout: UI_TIMEOUT });

    // The snippet, pasted as it is into a page of the allowed origin, opens the chat.
    host.pages.set('/', { html: `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Север</title></head><body><h1>Магазин</h1>${snippet}</body></html>` });
    host.pages.set('/favicon.ico', { html: '' }); // a browser's own 404 would read as a widget error below
    const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const visitor = await visitorContext.newPage();
    const visitorProblems: string[] = [];
    visitor.on('pageerror', (error) => visitorProblems.push(error.message));
    visitor.on('console', (m) => m.type() !== 'log' && m.type() !== 'debug' && visitorProblems.push(`${m.type()}: ${m.text()}`));
    await visitor.goto(`${host.origin}/`);
    await visitor.locator('support-chat .l').click();
    await visitor.locator('support-chat .panel').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await visitor.locator('support-chat .presence').getByText(/Отвечает бот|Операторы на связи/).waitFor({ timeout: UI_TIMEOUT });
    const title = visitor.locator('support-chat .head h2');
    const launcherColour = () => visitor.locator('support-chat .l').evaluate((el) => getComputedStyle(el).backgroundColor);
    const headColour = () => visitor.locator('support-chat .head').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await title.innerText()).not.toBe('Север: мы на связи');
    expect(await launcherColour()).not.toBe('rgb(10, 125, 51)');

    // The admin changes the colour and the title of the site's widget.
    const adminPage = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    adminPage.on('pageerror', (error) => pageErrors.push(error.message));
    await logIn(adminPage, server.url, ADMIN);
    await adminPage.getByRole('button', { name: 'Sites', exact: true }).click();
    await adminPage.getByRole('heading', { name: 'Widget settings: Магазин Север' }).waitFor({ timeout: UI_TIMEOUT });
    // A site admin neither creates sites nor renames them.
    expect(await adminPage.getByRole('form', { name: 'New site' }).count()).toBe(0);
    await adminPage.getByLabel('Accent colour').fill('#0a7d33');
    await adminPage.getByLabel('Title', { exact: true }).fill('Север: мы на связи');
    await adminPage.getByRole('button', { name: 'Save settings' }).click();
    await adminPage.getByText('Saved: open widgets show it within seconds.').waitFor({ timeout: UI_TIMEOUT });

    // The open widget shows both, without a reload (the title as text).
    await expect.poll(() => title.innerText(), { timeout: 5_000 }).toBe('Север: мы на связи');
    await expect.poll(launcherColour, { timeout: 5_000 }).toBe('rgb(10, 125, 51)');
    expect(await headColour()).toBe('rgb(10, 125, 51)');
    expect(visitorProblems).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
