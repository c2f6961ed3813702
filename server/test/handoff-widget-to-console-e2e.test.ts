/**
 * The handoff end to end, in two browser contexts: a visitor in the real widget asks the same
 * thing three times and is escalated; an operator logs in at /console, claims the conversation
 * and answers; the visitor sees the answer in the widget and the bot says nothing after the claim.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import type { TestServer } from './support/test-server.ts';
import { botTexts, say } from './support/widget-page.ts';

const ADMIN = { email: 'anna@example.com', password: 'correct-horse-battery' };
const UI = { timeout: 20_000 };

describe.skipIf(!hasChromium)('handoff from the widget to the operator console', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerForBrowser('embedded', {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      DELAYS_ENABLED: 'true',
      RESPONSE_DELAY_SECONDS: '0.3',
      TYPING_MAX_SECONDS: '0.2',
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('escalates after three repeats; the operator claims and answers; the bot stays silent', { timeout: 120_000 }, async () => {
    const visitor = await (await browser.newContext({ viewport: { width: 390, height: 800 } })).newPage();
    await visitor.goto(`${server.url}/`);
    await visitor.getByRole('button', { name: 'Открыть чат' }).click();
    const log = visitor.getByRole('log');

    await say(visitor, 'интернет не работает');
    await expect.poll(async () => (await botTexts(visitor)).length, UI).toBe(1);
    expect((await botTexts(visitor))[0]).toMatch(/роутер/i);
    await say(visitor, 'интернет всё ещё не работает!!!');
    await expect.poll(async () => (await botTexts(visitor)).length, UI).toBe(2);
    expect((await botTexts(visitor))[1]).toMatch(/роутер/i);
    await say(visitor, 'я же говорю, ИНТЕРНЕТ НЕ РАБОТАЕТ');
    // Nobody is online yet: the third repeat is answered with the offline escalation.
    await expect.poll(async () => (await botTexts(visitor)).at(-1), UI).toMatch(/оператор/i);

    const visitorId = JSON.parse((await visitor.evaluate(() => localStorage.getItem('sc:demo:visitor')))!) as string;
    const operator = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await operator.goto(`${server.url}/console`);
    await operator.getByLabel('Email').fill(ADMIN.email);
    await operator.getByLabel('Password').fill(ADMIN.password);
    await operator.getByRole('button', { name: 'Log in', exact: true }).click();
    const row = operator.getByRole('button', { name: visitorId });
    await row.waitFor(UI);
    await row.getByText('HIGH', { exact: true }).waitFor(UI);
    await row.click();
    const pane = operator.getByTestId('conversation');
    await pane.getByRole('button', { name: 'Claim', exact: true }).click();
    await pane.getByTestId('conversation-status').getByText('You are answering').waitFor(UI);

    const reply = operator.getByLabel('Reply', { exact: true });
    await reply.fill('Здравствуйте, я оператор Анна. Проверяю линию.');
    await reply.press('Enter');
    await expect.poll(() => log.innerText(), UI).toContain('я оператор Анна');

    // The visitor keeps talking; only the human answers from now on.
    await say(visitor, 'спасибо, жду');
    await pane.getByTestId('message').filter({ hasText: 'спасибо, жду' }).waitFor(UI);
    await new Promise((r) => setTimeout(r, 1500)); // longer than the bot's delay
    const site = (await server.services.store.findSiteByKey('demo'))!;
    const current = (await server.services.store.findCurrentConversation(site.id, visitorId))!;
    const messages = await server.services.store.messagesAfter(current.id, 0, 100);
    const operatorSeq = messages.find((m) => m.author === 'operator')!.seq;
    expect(messages.filter((m) => m.author === 'bot' && m.seq > operatorSeq)).toEqual([]);
    expect(current).toMatchObject({ status: 'OPERATOR', priority: 'HIGH', escalationReason: 'repeat:TECH_SUPPORT_BASIC×3' });
  });
});
