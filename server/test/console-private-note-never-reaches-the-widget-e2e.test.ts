/**
 * A private note in a real browser: the visitor in the widget asks for a person; the operator
 * writes a note in the console (shown there, styled as a note), then claims and replies. The widget
 * shows the reply and never the note — neither live nor after the visitor reloads the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import type { TestServer } from './support/test-server.ts';
import { botTexts, say } from './support/widget-page.ts';

const ADMIN = { email: 'anna@example.com', password: 'correct-horse-battery' };
const UI = { timeout: 20_000 };
const NOTE = 'NOTE-SECRET: постоянный клиент, не предлагать тариф';
const REPLY = 'Здравствуйте, я оператор. Смотрю ваш договор.';

describe.skipIf(!hasChromium)('a private note in the console', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerForBrowser('embedded', { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('is shown to the operator and never reaches the widget, live or after a reload', { timeout: 120_000 }, async () => {
    const visitor = await (await browser.newContext({ viewport: { width: 390, height: 800 } })).newPage();
    await visitor.goto(`${server.url}/`);
    await visitor.getByRole('button', { name: 'Открыть чат' }).click();
    const log = visitor.getByRole('log');
    await say(visitor, 'позовите оператора, пожалуйста');
    await expect.poll(async () => (await botTexts(visitor)).length, UI).toBe(1);
    const visitorId = JSON.parse((await visitor.evaluate(() => localStorage.getItem('sc:demo:visitor')))!) as string;

    const operator = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await operator.goto(`${server.url}/console`);
    await operator.getByLabel('Email').fill(ADMIN.email);
    await operator.getByLabel('Password').fill(ADMIN.password);
    await operator.getByRole('button', { name: 'Log in', exact: true }).click();
    await operator.getByRole('button', { name: visitorId }).click();
    const pane = operator.getByTestId('conversation');
    await pane.getByRole('heading', { name: visitorId }).waitFor(UI);

    // A note needs no claim: any operator of the site may leave one.
    await pane.getByRole('button', { name: 'Private note', exact: true }).click();
    const note = operator.getByLabel('Private note', { exact: true });
    await note.fill(NOTE);
    await note.press('Enter');
    const shown = pane.getByTestId('note').filter({ hasText: NOTE });
    await shown.waitFor(UI);
    expect(await shown.getAttribute('class')).toContain('note');
    expect(await note.inputValue()).toBe('');

    await pane.getByRole('button', { name: 'Claim', exact: true }).click();
    await pane.getByTestId('conversation-status').getByText('You are answering').waitFor(UI);
    await pane.getByRole('button', { name: 'Reply', exact: true }).click();
    const reply = operator.getByLabel('Reply', { exact: true });
    await reply.fill(REPLY);
    await reply.press('Enter');
    await expect.poll(() => log.innerText(), UI).toContain('Смотрю ваш договор');
    expect(await log.innerText()).not.toContain('NOTE-SECRET');

    // The widget's history after a reload: the reply again, still no note.
    await visitor.reload();
    await visitor.getByRole('button', { name: 'Открыть чат' }).click();
    await expect.poll(() => visitor.getByRole('log').innerText(), UI).toContain('Смотрю ваш договор');
    expect(await visitor.getByRole('log').innerText()).not.toContain('NOTE-SECRET');
    expect(await visitor.content()).not.toContain('NOTE-SECRET');
  });
});
