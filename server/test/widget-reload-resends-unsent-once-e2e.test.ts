/**
 * "Reload with an unsent message (sent once)", in a real browser. The network is cut at the
 * worst moments by routing the widget's WebSocket through Playwright:
 *  - the `message:send` frame never reaches the server (the visitor reloads, the outbox sends it);
 *  - the server stores it but its ack never comes back (the reload re-sends it; the server
 *    recognises the client id and keeps one copy).
 * Either way the server holds the message once, the widget shows it once as delivered, and the
 * bot answers it once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import { STORAGE_MODES, type TestServer } from './support/test-server.ts';
import { botTexts } from './support/widget-page.ts';

type Cut = 'before the server' | 'after the server stored it';

/** Routes the page's first WebSocket into a black hole from the first `message:send` on. */
async function cutNetworkAtFirstSend(page: Page, cut: Cut): Promise<{ cutAt: () => boolean }> {
  let connections = 0;
  let cutAt = false;
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const first = ++connections === 1;
    const server = ws.connectToServer();
    ws.onMessage((frame) => {
      if (first && !cutAt && String(frame).includes('"message:send"')) {
        cutAt = true;
        if (cut === 'after the server stored it') server.send(frame);
        return;
      }
      if (!(first && cutAt)) server.send(frame);
    });
    server.onMessage((frame) => {
      if (!(first && cutAt)) ws.send(frame);
    });
  });
  return { cutAt: () => cutAt };
}

describe.skipIf(!hasChromium).each(STORAGE_MODES)('a reload re-sends an unsent message once (%s)', (mode) => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerForBrowser(mode);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each<Cut>(['before the server', 'after the server stored it'])('when the network dies %s', { timeout: 60_000 }, async (cut) => {
    const page = await (await browser.newContext()).newPage();
    const network = await cutNetworkAtFirstSend(page, cut);
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Открыть чат' }).click();
    const text = `Сколько стоит тариф? (${cut})`;
    const input = page.getByLabel('Сообщение');
    await input.fill(text);
    await input.press('Enter');
    await expect.poll(network.cutAt).toBe(true);
    // No ack came back: the message waits in the outbox, shown as not delivered yet.
    const log = page.getByRole('log');
    await expect.poll(() => log.innerText()).toContain(text);
    expect(await log.innerText()).toMatch(/Отправляется…|Не отправлено/);
    expect(await log.innerText()).not.toContain('Доставлено');

    await page.reload();
    await page.getByRole('button', { name: 'Открыть чат' }).click();
    await expect.poll(() => botTexts(page), { timeout: 15_000 }).toHaveLength(1);
    await expect.poll(() => page.locator('.m.visitor').allInnerTexts()).toHaveLength(1);
    const [shown] = await page.locator('.m.visitor').allInnerTexts();
    expect(shown).toContain(text);
    expect(shown).toContain('Доставлено');
    expect(await page.evaluate(() => localStorage.getItem('sc:demo:outbox'))).toBe('[]');

    const visitorId = JSON.parse((await page.evaluate(() => localStorage.getItem('sc:demo:visitor')))!) as string;
    const site = (await server.services.store.findSiteByKey('demo'))!;
    const conversation = (await server.services.store.findCurrentConversation(site.id, visitorId))!;
    const stored = await server.services.store.messagesAfter(conversation.id, 0, 100);
    expect(stored.filter((m) => m.author === 'visitor').map((m) => m.text)).toEqual([text]);
    expect(stored.filter((m) => m.author === 'bot')).toHaveLength(1);
    await page.context().close();
  });
});
