/**
 * A transfer in two real browsers: the admin claims a waiting conversation and transfers it to
 * Boris, an operator of the same site; Boris's console tells him at once, opens it from the notice,
 * shows that he is answering, and his reply reaches the visitor.
 */
import { randomUUID } from 'node:crypto';
import type { MessageDto } from '@support-chat/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import { collect, connected, visitorSocket, waitFor, type TestServer, type VisitorClient } from './support/test-server.ts';

const ADMIN = { email: 'anna@example.com', password: 'correct-horse-battery' };
const BORIS = { email: 'boris@example.com', password: 'another-horse-battery', name: 'Boris' };
const UI = { timeout: 30_000 };

describe.skipIf(!hasChromium)('transferring a conversation in the console', () => {
  let server: TestServer;
  let browser: Browser;
  let visitor: VisitorClient;

  const logIn = async (who: { email: string; password: string }): Promise<Page> => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${server.url}/console`);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByTestId('connection').getByText('Connected').waitFor(UI);
    return page;
  };

  beforeAll(async () => {
    server = await startServerForBrowser('embedded', { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    await server.services.auth.upsert({ ...BORIS, role: 'operator', sites: [{ siteKey: 'demo', role: 'operator' }] });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    visitor?.disconnect();
    await browser?.close();
    await server?.stop();
  });

  it('the receiver is told at once and answers the visitor', { timeout: 150_000 }, async () => {
    const visitorId = `visitor-${randomUUID()}`;
    visitor = visitorSocket(server.url, { visitorId }, { origin: server.url });
    const received = collect<MessageDto>(visitor, 'message:new');
    await connected(visitor);
    const sent = await visitor.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'позовите оператора, пожалуйста' });
    if (!sent.ok) throw new Error(sent.error.message);

    const boris = await logIn(BORIS);
    const admin = await logIn(ADMIN);
    await admin.getByRole('button', { name: visitorId }).click();
    const pane = admin.getByTestId('conversation');
    await pane.getByRole('button', { name: 'Claim', exact: true }).click();
    await pane.getByTestId('conversation-status').getByText('You are answering').waitFor(UI);
    await pane.getByLabel('Transfer to').selectOption({ label: await pane.getByLabel('Transfer to').locator('option', { hasText: 'Boris' }).innerText() });
    await pane.getByRole('button', { name: 'Transfer', exact: true }).click();
    await pane.getByTestId('conversation-status').getByText('Answered by Boris').waitFor(UI);

    const notice = boris.getByTestId('assigned-notice');
    await notice.getByText("Admin transferred the conversation with a visitor to you").waitFor(UI);
    await notice.getByRole('button', { name: /transferred/ }).click();
    const borisPane = boris.getByTestId('conversation');
    await borisPane.getByTestId('conversation-status').getByText('You are answering').waitFor(UI);
    const reply = boris.getByLabel('Reply', { exact: true });
    await reply.fill('Это Борис, продолжаю');
    await reply.press('Enter');
    const answer = await waitFor(() => received.find((m) => m.author === 'operator'), UI.timeout);
    expect(answer.text).toBe('Это Борис, продолжаю');
    expect((await server.services.store.getConversation(sent.data.conversationId))?.ownerId).toBe((await server.services.store.findOperatorByEmail(BORIS.email))?.id);
  });
});
