/**
 * The waiting state in the real widget (Chromium): after the hand-off the header says where the
 * visitor stands in the queue instead of "Отвечает бот", moves up live when the one ahead is
 * taken, and the claim shows "Оператор Анна на связи…" with her avatar — her display name, not
 * the account's "Admin".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, SentMessage } from '@support-chat/protocol';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import { connected, logInOperator, operatorSocket, visitorSocket, waitFor, type OperatorClient, type TestServer, type VisitorClient } from './support/test-server.ts';
import { say } from './support/widget-page.ts';

const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery' };
const UI = { timeout: 20_000 };

describe.skipIf(!hasChromium)('the widget shows the wait and who joined', () => {
  let server: TestServer;
  let browser: Browser;
  let owner: OperatorClient;
  let ahead: VisitorClient;

  beforeAll(async () => {
    server = await startServerForBrowser('embedded', { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    browser = await launchChromium();
    owner = operatorSocket(server.url, await logInOperator(server.url, ADMIN));
    await connected(owner);
  }, 120_000); // set-up on a loaded machine
  afterAll(async () => {
    ahead?.disconnect();
    owner?.disconnect();
    await browser?.close();
    await server?.stop();
  });

  const act = async (event: string, payload: unknown) => {
    const emit = owner.timeout(10_000).emitWithAck.bind(owner) as (e: string, p: unknown) => Promise<Ack<unknown>>;
    const ack = await emit(event, payload);
    if (!ack.ok) throw new Error(`${event}: ${ack.error.message}`);
  };

  it('header: waiting, 2nd in the queue, then 1st; then the operator joins by her display name and avatar', { timeout: 120_000 }, async () => {
    const avatar = `${server.url}/avatars/anna.png`;
    await act('operator:profile:update', { displayName: 'Анна', avatarUrl: avatar });

    // Someone else is already waiting.
    ahead = visitorSocket(server.url, {}, { origin: server.url });
    await connected(ahead);
    const first = (await ahead.timeout(10_000).emitWithAck('message:send', { clientMessageId: crypto.randomUUID(), text: 'позовите оператора' })) as Ack<SentMessage>;
    if (!first.ok) throw new Error(first.error.message);
    const site = (await server.services.store.findSiteByKey('demo'))!;
    await waitFor(async () => (await server.services.store.waitingConversations(site.id)).length === 1);

    const page = await (await browser.newContext({ viewport: { width: 390, height: 800 } })).newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Открыть чат' }).click();
    const header = page.locator('.presence');
    await expect.poll(() => header.innerText(), UI).not.toBe('Подключение…');

    await say(page, 'Позовите живого человека, пожалуйста');
    // No first responses on this site yet: no number of minutes, only the place.
    await expect.poll(() => header.innerText(), UI).toBe('Ждём оператора · вы 2-й в очереди');

    await act('conversation:claim', { conversationId: first.data.conversationId });
    await expect.poll(() => header.innerText(), UI).toBe('Ждём оператора · вы 1-й в очереди');

    const mine = (await server.services.store.waitingConversations(site.id))[0]!.conversationId;
    await act('conversation:claim', { conversationId: mine });
    const joined = page.locator('.m.system').filter({ hasText: 'Оператор Анна на связи' });
    await joined.waitFor(UI);
    expect(await joined.locator('img').getAttribute('src')).toBe(avatar);
    await expect.poll(() => header.innerText(), UI).not.toMatch(/Ждём оператора/);

    await act('conversation:reply', { conversationId: mine, text: 'Здравствуйте! Чем помочь?', clientMessageId: crypto.randomUUID() });
    const reply = page.locator('.m.operator').filter({ hasText: 'Здравствуйте! Чем помочь?' });
    await reply.waitFor(UI);
    expect(await reply.locator('.who').innerText()).toBe('Анна');
    expect(await page.locator('.log').innerText()).not.toMatch(/Admin/);
  });
});
