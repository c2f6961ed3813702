/**
 * Stored XSS, end to end in Chromium: a visitor sends every payload of the corpus (the first few
 * through the real widget composer, the rest over a socket as that same visitor), an admin saves
 * a greeting template made of payloads, the visitor's page tries markup as its name, and an
 * operator answers with every payload (the first few through the console's reply box). Then the
 * widget (Shadow DOM, live and from history) and the console (queue and conversation) show it
 * all. Nothing may run (`__xss` is never called, no dialog), no element may be injected into a
 * message list, and every payload must be there as literal text.
 */
import { randomUUID } from 'node:crypto';
import type { Ack, SentMessage } from '@support-chat/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTemplate } from '../src/domain/templates/render-template.ts';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import { connected, logInOperator, operatorSocket, visitorSocket, type TestServer } from './support/test-server.ts';
import { botTexts, say } from './support/widget-page.ts';
import { XSS_NAME_WITH_MARKUP, XSS_NAME_WITH_QUOTES, XSS_PAYLOADS, XSS_TEMPLATE_VARIANT } from './support/xss-payloads.ts';

const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery' };
const UI = { timeout: 20_000 };
/** How many payloads go through the real composer and reply box; the rest go over sockets (faster). */
const TYPED = 5;
const TEXTS = XSS_PAYLOADS.map((p) => p.text);

/** What a page records: payloads that ran, dialogs, and CSP refusals in its console. */
interface Watch {
  hits: string[];
  dialogs: string[];
  cspErrors: string[];
  warnings: string[];
}

async function watchedPage(context: BrowserContext): Promise<{ page: Page; watch: Watch }> {
  const watch: Watch = { hits: [], dialogs: [], cspErrors: [], warnings: [] };
  // Bound in every frame (srcdoc iframes included) before any page script runs.
  await context.exposeFunction('__xss', (id: unknown) => void watch.hits.push(String(id)));
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (/Refused to|Content Security Policy/i.test(message.text())) watch.cspErrors.push(message.text());
    if (message.type() === 'warning') watch.warnings.push(message.text());
  });
  return { page, watch };
}

interface Inspection {
  containers: number;
  texts: string[];
  injected: string[];
  handlers: string[];
  badLinks: string[];
}

/**
 * Walks the document and every open shadow root: the text of each container matching
 * `selector`, elements a payload could have injected inside them, any `on*` attribute on the
 * page (our own code sets none) and links that could run script.
 */
function inspect(selector: string): Inspection {
  const roots: (Document | ShadowRoot)[] = [document];
  for (let i = 0; i < roots.length; i++) {
    for (const el of roots[i]!.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
  }
  const everything = roots.flatMap((root) => [...root.querySelectorAll('*')]);
  const containers = roots.flatMap((root) => [...root.querySelectorAll(selector)]);
  const forbidden = /^(script|img|iframe|frame|svg|math|object|embed|style|link|meta|base|form|input|video|audio|source|template|details|marquee|noscript|xmp|isindex|body)$/i;
  const injected = containers.flatMap((c) =>
    [...c.querySelectorAll('*')].filter((el) => forbidden.test(el.localName) || el.hasAttribute('style')).map((el) => el.outerHTML.slice(0, 120)),
  );
  const handlers = everything.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.localName}[${a.name}]`));
  // Anywhere (the demo page has its own #anchors, tel: links and a data: icon): no link to a script-running URL; in a message list: only web and mail links.
  const scriptUrl = (el: Element) => /^(javascript|data|vbscript):/i.test((el.getAttribute('href') ?? '').replace(/[\s\u0000-\u001f]/g, ''));
  const foreignUrl = (el: Element) => !/^(https?|mailto):/i.test(el.getAttribute('href') ?? '');
  const badLinks = [
    ...everything.filter((el) => (el.localName === 'a' || el.localName === 'area') && scriptUrl(el)),
    ...containers.flatMap((c) => [...c.querySelectorAll('[href]')].filter(foreignUrl)),
  ].map((el) => `${el.localName}[href=${el.getAttribute('href')}]`);
  return { containers: containers.length, texts: containers.map((c) => c.textContent ?? ''), injected, handlers, badLinks };
}

/** The expected texts not (yet) shown in the containers. */
async function missing(page: Page, selector: string, expected: string[]): Promise<string[]> {
  const { texts } = await page.evaluate(inspect, selector);
  const shown = texts.join('\n');
  return expected.filter((t) => !shown.includes(t));
}

async function expectInert(page: Page, watch: Watch, selector: string): Promise<void> {
  const found = await page.evaluate(inspect, selector);
  expect(found.containers).toBeGreaterThan(0);
  expect(found.injected).toEqual([]);
  expect(found.handlers).toEqual([]);
  expect(found.badLinks).toEqual([]);
  expect(watch.hits).toEqual([]);
  expect(watch.dialogs).toEqual([]);
  expect(watch.cspErrors).toEqual([]);
}

const WIDGET_LOG = '[role="log"]';
const CONSOLE_LISTS = '[data-testid="conversation"] ol, [data-testid="queue-row"], #conversation-title';

describe.skipIf(!hasChromium)('stored XSS corpus in the widget and the console', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerForBrowser('embedded', { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it(`${XSS_PAYLOADS.length} payloads from a visitor, an operator and a template render as text; none runs`, { timeout: 150_000 }, async () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(TEXTS).size).toBe(TEXTS.length);
    expect(renderTemplate(XSS_TEMPLATE_VARIANT, {})).toBe(XSS_TEMPLATE_VARIANT);

    // The admin saves a greeting made of payloads in the console's template editor.
    const { page: operator, watch: operatorWatch } = await watchedPage(await browser.newContext({ viewport: { width: 1280, height: 800 } }));
    await operator.goto(`${server.url}/console`);
    await operator.getByLabel('Email').fill(ADMIN.email);
    await operator.getByLabel('Password').fill(ADMIN.password);
    await operator.getByRole('button', { name: 'Log in', exact: true }).click();
    await operator.getByRole('button', { name: 'Templates', exact: true }).click();
    await operator.locator('.template-row').filter({ hasText: 'Greeting' }).filter({ hasText: 'ru ·' }).click(UI);
    const variants = operator.getByLabel('Variants (one per line)');
    await variants.fill(XSS_TEMPLATE_VARIANT);
    await operator.getByRole('button', { name: 'Save', exact: true }).click();
    await operator.getByRole('status').filter({ hasText: 'Saved.' }).waitFor(UI);
    expect(await variants.inputValue()).toBe(XSS_TEMPLATE_VARIANT);
    await expectInert(operator, operatorWatch, '.template-list');
    await operator.getByRole('button', { name: 'Conversations', exact: true }).click();

    // The visitor, in the real widget: the greeting is the admin's payload template.
    const { page: visitor, watch: visitorWatch } = await watchedPage(await browser.newContext({ viewport: { width: 390, height: 800 } }));
    await visitor.goto(`${server.url}/`);
    await visitor.getByRole('button', { name: 'Открыть чат' }).click();
    await say(visitor, 'Привет!');
    await expect.poll(() => botTexts(visitor), UI).toEqual([XSS_TEMPLATE_VARIANT]);

    // The page's setVisitor: markup in a name is refused, quotes alone are just a name.
    await visitor.evaluate((name) => (window as unknown as { SupportChat: (...args: unknown[]) => void }).SupportChat('setVisitor', { name }), XSS_NAME_WITH_MARKUP);
    await expect.poll(() => visitorWatch.warnings.join('\n'), UI).toMatch(/SupportChat: setVisitor: .*name has characters that are not allowed/);
    await visitor.evaluate((name) => (window as unknown as { SupportChat: (...args: unknown[]) => void }).SupportChat('setVisitor', { name }), XSS_NAME_WITH_QUOTES);

    await say(visitor, 'позовите оператора');
    await expect.poll(async () => (await botTexts(visitor)).length, UI).toBe(2);
    const visitorId = JSON.parse((await visitor.evaluate(() => localStorage.getItem('sc:demo:visitor')))!) as string;
    const site = (await server.services.store.findSiteByKey('demo'))!;
    const conversation = (await server.services.store.findCurrentConversation(site.id, visitorId))!;

    // The operator claims in the console; from now on the bot is silent, so every message is a payload.
    const row = operator.getByTestId('queue-row').filter({ hasText: XSS_NAME_WITH_QUOTES });
    await row.click(UI);
    const pane = operator.getByTestId('conversation');
    await pane.getByRole('button', { name: 'Claim', exact: true }).click();
    await pane.getByTestId('conversation-status').getByText('You are answering').waitFor(UI);

    // Visitor payloads: typed into the composer, then the rest over a socket as the same visitor.
    for (const text of TEXTS.slice(0, TYPED)) {
      await say(visitor, text);
      await expect.poll(() => missing(visitor, WIDGET_LOG, [text]), UI).toEqual([]);
    }
    const asVisitor = visitorSocket(server.url, { visitorId }, { origin: server.url }); // the widget's page is the server's own
    await connected(asVisitor);
    for (const text of TEXTS.slice(TYPED)) {
      const ack: Ack<SentMessage> = await asVisitor.timeout(10_000).emitWithAck('message:send', { clientMessageId: randomUUID(), text });
      expect(ack).toMatchObject({ ok: true, data: { conversationId: conversation.id } });
    }
    asVisitor.disconnect();

    // Widget: live, then from history after a reload (it keeps the last 100 messages: all of these).
    const widgetShows = async (bubbles: string, expected: string[]) => {
      await expect.poll(() => missing(visitor, bubbles, expected), UI).toEqual([]);
      await expectInert(visitor, visitorWatch, WIDGET_LOG);
      await visitor.reload();
      await visitor.getByRole('button', { name: 'Открыть чат' }).click();
      await expect.poll(() => missing(visitor, bubbles, expected), UI).toEqual([]);
      await expectInert(visitor, visitorWatch, WIDGET_LOG);
    };
    await widgetShows(`${WIDGET_LOG} .m.visitor`, TEXTS);
    await widgetShows(`${WIDGET_LOG} .m.bot`, [XSS_TEMPLATE_VARIANT]);

    // Operator payloads: typed into the reply box, then the rest over the operator socket.
    const admin = operatorSocket(server.url, await logInOperator(server.url, ADMIN));
    await connected(admin);
    const reply = operator.getByLabel('Reply', { exact: true });
    for (const text of TEXTS.slice(0, TYPED)) {
      await reply.fill(text);
      await reply.press('Enter');
      await pane.getByTestId('message').and(operator.locator('[data-author="operator"]')).filter({ hasText: text }).waitFor(UI);
    }
    for (const text of TEXTS.slice(TYPED)) {
      const ack = await admin.timeout(10_000).emitWithAck('conversation:reply', { conversationId: conversation.id, text, clientMessageId: randomUUID() });
      expect(ack.ok).toBe(true);
    }
    admin.disconnect();
    await widgetShows(`${WIDGET_LOG} .m.operator`, TEXTS); // the operator's copies are among the newest 100

    // Console: live, then the queue and the whole conversation loaded again after a reload.
    const consoleShows = async () => {
      await expect.poll(() => missing(operator, CONSOLE_LISTS, [XSS_NAME_WITH_QUOTES]), UI).toEqual([]);
      for (const author of ['visitor', 'operator']) {
        await expect.poll(() => missing(operator, `[data-testid="conversation"] [data-author="${author}"] .msg-text`, TEXTS), UI).toEqual([]);
      }
      await expect.poll(() => missing(operator, '[data-testid="conversation"] [data-author="bot"] .msg-text', [XSS_TEMPLATE_VARIANT]), UI).toEqual([]);
      await expectInert(operator, operatorWatch, CONSOLE_LISTS);
    };
    await consoleShows();
    await operator.reload();
    await row.click(UI);
    // Opened again, a conversation shows its newest 50 messages: load the earlier ones (the visitor's payloads).
    const earlier = operator.getByTestId('load-earlier');
    await earlier.waitFor(UI);
    while (await earlier.isVisible()) {
      const shown = await pane.getByTestId('message').count();
      await earlier.click();
      await expect.poll(() => pane.getByTestId('message').count(), UI).toBeGreaterThan(shown);
    }
    await consoleShows();

    // Stored as sent: the server kept every payload byte for byte, once from each side.
    const stored = await server.services.store.messagesAfter(conversation.id, 0, 1000);
    for (const author of ['visitor', 'operator'] as const) {
      expect(stored.filter((m) => m.author === author && TEXTS.includes(m.text)).map((m) => m.text)).toEqual(TEXTS);
    }
  });
});
