/**
 * An operator opening a conversation sees, under the bot's answer from the knowledge base, the
 * article it came from (a link) and its score, and marks the answer wrong and back: the button
 * shows what the server stored, which a fresh `conversation:open` reads back.
 * Needs the built console (`pnpm build` → dist/console) and Chromium at /usr/bin/chromium.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MessageDto } from '@support-chat/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import { collect, connected, logInOperator, operatorSocket, visitorSocket, waitFor, type OperatorClient, type TestServer } from './support/test-server.ts';

const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/console/console.js', import.meta.url));
const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery' };
const UI_TIMEOUT = 20_000;

describe.skipIf(!hasChromium)('console: a knowledge-base answer’s source and the wrong-answer mark (e2e)', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: OperatorClient;

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) throw new Error(`${CONSOLE_BUILD} is missing: run \`pnpm build\` before this test`);
    server = await startServerForBrowser('embedded', { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    admin = operatorSocket(server.url, await logInOperator(server.url, ADMIN));
    await connected(admin);
    const ack = await admin.timeout(10_000).emitWithAck('knowledge:save', {
      slug: 'payment-methods',
      title: 'Способы оплаты',
      url: 'https://help.example.net/payment',
      locale: 'ru',
      body: 'Через СБП деньги поступают на баланс мгновенно, комиссии нет. QR-код для оплаты есть в разделе «Баланс» личного кабинета.',
    });
    if (!ack.ok) throw new Error(`knowledge:save refused: ${ack.error.message}`);
    browser = await launchChromium();
  });
  afterAll(async () => {
    admin?.disconnect();
    await browser?.close();
    await server?.stop();
  });

  /** The message as the server has it now. */
  const storedMessage = async (conversationId: string, id: string): Promise<MessageDto> => {
    const ack = await admin.timeout(10_000).emitWithAck('conversation:open', { conversationId });
    if (!ack.ok) throw new Error(ack.error.message);
    return ack.data.messages.find((m: MessageDto) => m.id === id)!;
  };

  it('shows the article and score under the answer and toggles "Wrong answer" as the server stores it', { timeout: 90_000 }, async () => {
    const visitorId = `visitor-${randomUUID()}`;
    // The demo site is the server's own page here (PUBLIC_URL), so that is where a visitor comes from.
    const visitor = visitorSocket(server.url, { visitorId }, { origin: server.url });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      await connected(visitor);
      const messages = collect<MessageDto>(visitor, 'message:new');
      const send = (text: string) => visitor.timeout(10_000).emitWithAck('message:send', { clientMessageId: randomUUID(), text });
      await send('Здравствуйте');
      await waitFor(() => messages.some((m) => m.author === 'bot'), UI_TIMEOUT);
      await send('через сбп есть комиссия?');
      const answer = await waitFor(() => messages.find((m) => m.author === 'bot' && m.sources?.length), UI_TIMEOUT);
      await send('позовите оператора');

      const page = await context.newPage();
      await page.goto(`${server.url}/console`);
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await page.getByRole('button', { name: visitorId }).click({ timeout: UI_TIMEOUT });

      const shown = page.getByTestId('message').filter({ has: page.getByTestId('answer-sources') });
      await shown.waitFor({ timeout: UI_TIMEOUT });
      expect(await shown.locator('.msg-text').innerText()).toBe(answer.text);
      const link = shown.getByRole('link', { name: 'Способы оплаты' });
      expect(await link.getAttribute('href')).toBe('https://help.example.net/payment');
      expect(await link.getAttribute('rel')).toContain('noopener');
      expect(await shown.getByTestId('source-score').innerText()).toBe(answer.sources![0]!.score.toFixed(2));

      const mark = shown.getByRole('button', { name: 'Wrong answer' });
      expect(await mark.getAttribute('aria-pressed')).toBe('false');
      await mark.click();
      await expect.poll(() => mark.getAttribute('aria-pressed'), { timeout: UI_TIMEOUT }).toBe('true');
      expect((await storedMessage(answer.conversationId, answer.id)).markedWrong).toBe(true);

      await mark.click();
      await expect.poll(() => mark.getAttribute('aria-pressed'), { timeout: UI_TIMEOUT }).toBe('false');
      expect((await storedMessage(answer.conversationId, answer.id)).markedWrong).toBe(false);
    } finally {
      visitor.disconnect();
      await context.close();
    }
  });
});
