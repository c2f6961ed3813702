/**
 * The inbox's Open and Mine views follow the conversations live, in a real browser: with Open on
 * screen, a visitor's new conversation that the bot answers appears without the operator doing
 * anything; with Mine on screen, a conversation the operator claims elsewhere (another tab of
 * theirs) appears there, and leaves Open once it is escalated. Needs `pnpm build` and Chromium.
 */
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, logInOperator, operatorSocket, startTestServer, visitorSocket, waitFor, type OperatorClient, type TestServer, type VisitorClient } from './support/test-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/console/console.js', import.meta.url));
const ANNA = { email: 'anna@example.com', password: 'anna-horse-battery', name: 'Anna' };
const UI_TIMEOUT = 20_000;

describe.skipIf(!HAS_CHROMIUM)('the inbox views are live', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const sockets: Array<VisitorClient | OperatorClient> = [];

  /** A visitor's message, decided (answered by the bot, or escalated) before this returns. */
  async function visitorSays(text: string): Promise<{ visitorId: string; conversationId: string }> {
    const visitorId = `visitor-${randomUUID()}`;
    const socket = visitorSocket(server.url, { siteKey: 'demo', visitorId });
    sockets.push(socket);
    await connected(socket);
    const ack = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text });
    if (!ack.ok) throw new Error(ack.error.message);
    await waitFor(async () => (await server.services.store.getMessage(ack.data.id))?.category);
    return { visitorId, conversationId: ack.data.conversationId };
  }

  const view = (name: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true });
  const rowOf = (visitorId: string) => page.getByTestId('inbox-results').getByTestId('inbox-row').filter({ hasText: visitorId });

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) throw new Error(`${CONSOLE_BUILD} is missing: run \`pnpm build\` before this test`);
    server = await startTestServer('embedded', { DELAYS_ENABLED: 'false' });
    await server.services.auth.upsert({ ...ANNA, role: 'operator', sites: [{ siteKey: 'demo', role: 'operator' }] });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${server.url}/console`);
    await page.getByLabel('Email').fill(ANNA.email);
    await page.getByLabel('Password').fill(ANNA.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByTestId('connection').getByText('Connected').waitFor({ timeout: UI_TIMEOUT });
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await browser?.close();
    await server?.stop();
  });

  it('a new conversation the bot answers appears in Open by itself, and leaves it when escalated', { timeout: 120_000 }, async () => {
    await view('Open').click();
    await page.getByTestId('inbox-results').waitFor({ timeout: UI_TIMEOUT });
    const { visitorId, conversationId } = await visitorSays('Здравствуйте, сколько стоит тариф 500 мегабит?');
    expect((await server.services.store.getConversation(conversationId))?.status).toBe('BOT');
    await rowOf(visitorId).waitFor({ timeout: UI_TIMEOUT });

    // The same visitor asks for a person: the conversation waits now, and Open no longer lists it.
    const socket = sockets.at(-1) as VisitorClient;
    const ack = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'позовите оператора, пожалуйста' });
    if (!ack.ok) throw new Error(ack.error.message);
    await waitFor(async () => (await server.services.store.getConversation(conversationId))?.status === 'WAITING');
    await rowOf(visitorId).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  });

  it('a conversation the operator claims in another tab appears in Mine by itself', { timeout: 120_000 }, async () => {
    await view('Mine').click();
    await page.getByTestId('inbox-results').waitFor({ timeout: UI_TIMEOUT });
    const { visitorId, conversationId } = await visitorSays('позовите человека');
    expect(await rowOf(visitorId).count()).toBe(0);
    const tab = operatorSocket(server.url, await logInOperator(server.url, ANNA));
    sockets.push(tab);
    await connected(tab);
    const claimed = await tab.emitWithAck('conversation:claim', { conversationId });
    if (!claimed.ok) throw new Error(claimed.error.message);
    await rowOf(visitorId).waitFor({ timeout: UI_TIMEOUT });
  });
});
