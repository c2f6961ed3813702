/**
 * Search in the console, in a real browser: an operator of one site types a word in another form
 * ("роутеры") and finds the visitor's message ("роутер"), opens the conversation from the hit,
 * and never sees a matching message of a site she is not in. Needs `pnpm build` and Chromium.
 */
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, startTestServer, visitorSocket, waitFor, type TestServer } from './support/test-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/console/console.js', import.meta.url));
const ANNA = { email: 'anna@example.com', password: 'anna-horse-battery', name: 'Анна' };
const UI_TIMEOUT = 20_000;

describe.skipIf(!HAS_CHROMIUM)('the console searches messages', () => {
  let server: TestServer;
  let browser: Browser;

  /** A decided visitor message of the site. */
  async function say(siteKey: string, visitorId: string, text: string): Promise<void> {
    const socket = visitorSocket(server.url, { siteKey, visitorId });
    await connected(socket);
    const ack = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text });
    socket.disconnect();
    if (!ack.ok) throw new Error(ack.error.message);
    await waitFor(async () => (await server.services.store.getMessage(ack.data.id))?.category);
  }

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) throw new Error(`${CONSOLE_BUILD} is missing: run \`pnpm build\` before this test`);
    server = await startTestServer('embedded', { DELAYS_ENABLED: 'false' });
    await server.services.auth.upsert({ ...ANNA, role: 'operator', sites: [{ siteKey: 'demo', role: 'operator' }] });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('finds "роутер" by "роутеры" in her site only and opens the conversation from the hit', { timeout: 120_000 }, async () => {
    const other = await server.services.sites.create({ name: 'Склад Б', allowedOrigins: [], locale: 'ru' }, 'sklad');
    const visitorId = `visitor-${randomUUID()}`;
    await say('demo', visitorId, 'у меня сломался роутер, помогите');
    await say(other.key, `visitor-${randomUUID()}`, 'на складе сломался роутер');

    const page: Page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/console`);
    await page.getByLabel('Email').fill(ANNA.email);
    await page.getByLabel('Password').fill(ANNA.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByTestId('connection').getByText('Connected').waitFor({ timeout: UI_TIMEOUT });

    await page.getByLabel('Search messages').fill('роутеры');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const hit = page.getByTestId('search-hit').filter({ hasText: 'у меня сломался роутер, помогите' });
    await hit.waitFor({ timeout: UI_TIMEOUT });
    // The other site's message never matches (bot replies are not searched at all).
    expect(await page.getByTestId('search-hit').filter({ hasText: 'на складе' }).count()).toBe(0);

    await hit.click();
    const conversation = page.getByTestId('conversation');
    await conversation.getByRole('heading', { name: visitorId }).waitFor({ timeout: UI_TIMEOUT });
    await conversation.getByTestId('message').filter({ hasText: 'у меня сломался роутер, помогите' }).waitFor({ timeout: UI_TIMEOUT });
  });
});
