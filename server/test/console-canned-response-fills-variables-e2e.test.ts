/**
 * Canned responses in a real browser: the admin adds one in the «Canned responses» tab; in a
 * claimed conversation typing `/hel` in the reply box opens the picker, Enter inserts the text with
 * `{{visitor_name}}` and `{{operator_name}}` filled in, the operator adds a word and sends, and the
 * visitor receives exactly that. The response's markup shows as text, never as HTML.
 */
import { randomUUID } from 'node:crypto';
import type { MessageDto } from '@support-chat/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import { collect, connected, visitorSocket, waitFor, type TestServer, type VisitorClient } from './support/test-server.ts';

const ADMIN = { email: 'anna@example.com', password: 'correct-horse-battery' };
const UI = { timeout: 20_000 };
const CANNED = 'Здравствуйте, {{visitor_name}}! Меня зовут {{operator_name}}, <b>помогу</b>.';
const FILLED = 'Здравствуйте, Мария! Меня зовут Admin, <b>помогу</b>.';

describe.skipIf(!hasChromium)('canned responses in the console', () => {
  let server: TestServer;
  let browser: Browser;
  let visitor: VisitorClient;

  beforeAll(async () => {
    server = await startServerForBrowser('embedded', { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    visitor?.disconnect();
    await browser?.close();
    await server?.stop();
  });

  it('/ opens a searchable picker that inserts the response with its variables filled in', { timeout: 120_000 }, async () => {
    const visitorId = `visitor-${randomUUID()}`;
    visitor = visitorSocket(server.url, { visitorId }, { origin: server.url });
    const received = collect<MessageDto>(visitor, 'message:new');
    await connected(visitor);
    const profile = await visitor.emitWithAck('visitor:profile', { name: 'Мария' });
    expect(profile.ok).toBe(true);
    const sent = await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'позовите оператора, пожалуйста' });
    if (!sent.ok) throw new Error(sent.error.message);

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${server.url}/console`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();

    // The admin writes the response in its tab.
    await page.getByRole('button', { name: 'Canned responses', exact: true }).click();
    await page.getByText('No canned responses yet.').waitFor(UI);
    // The tab starts again (empty form) when the console's current site settles after it opened:
    // fill until the form holds the response, which enables Add.
    const add = page.getByRole('button', { name: 'Add', exact: true });
    for (let attempt = 1; ; attempt++) {
      await page.getByLabel('Shortcut').fill('hello');
      await page.getByLabel('Text', { exact: true }).fill(CANNED);
      const enabled = await page
        .waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Add' && !b.disabled), undefined, { timeout: 5_000 })
        .then(() => true, () => false);
      if (enabled) break;
      if (attempt >= 5) throw new Error('the canned-response form kept losing what was typed into it');
    }
    await add.click();
    await page.getByTestId('canned-response').filter({ hasText: '/hello' }).waitFor(UI);

    await page.getByRole('button', { name: 'Conversations', exact: true }).click();
    await page.getByRole('button', { name: 'Мария' }).click();
    const pane = page.getByTestId('conversation');
    await pane.getByRole('button', { name: 'Claim', exact: true }).click();
    await pane.getByTestId('conversation-status').getByText('You are answering').waitFor(UI);

    const reply = page.getByLabel('Reply', { exact: true });
    await reply.pressSequentially('/hel');
    const picker = page.getByRole('listbox', { name: 'Canned responses' });
    await picker.getByRole('option', { name: /\/hello/ }).waitFor(UI);
    expect(await picker.locator('b').count()).toBe(0);
    await reply.press('Enter');
    await expect.poll(() => reply.inputValue(), UI).toBe(FILLED);
    await picker.waitFor({ state: 'detached', ...UI });

    // Still the operator's draft: edited, then sent.
    await reply.press('End');
    await reply.pressSequentially(' Что случилось?');
    await reply.press('Enter');
    const answer = await waitFor(() => received.find((m) => m.author === 'operator'), UI.timeout);
    expect(answer.text).toBe(`${FILLED} Что случилось?`);
    await pane.getByTestId('message').filter({ hasText: 'Что случилось?' }).waitFor(UI);
    expect(await pane.locator('.messages b').count()).toBe(0);
  });
});
