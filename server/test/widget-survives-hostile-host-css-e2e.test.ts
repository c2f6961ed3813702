/**
 * A page whose CSS is as blunt as it gets — `* { all: unset !important; font-size: 40px !important }`
 * — with fixed elements at z-index 2147483646 over the corner, in Chromium: the launcher stays
 * fixed in the bottom-right corner and on top (the browser's own hit test finds it there), and the
 * panel's text keeps its size instead of inheriting the page's 40 px.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from './support/browser.ts';
import { snippet, startHostSite, type HostSite } from './support/host-page.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { say } from './support/widget-page.ts';

const HOSTILE = `
  * { all: unset !important; font-size: 40px !important; line-height: 3 !important; color: #f0f !important }
  support-chat, support-chat * { position: static !important; display: inline !important; transform: scale(3) !important }
  .cover { display: block !important; position: fixed !important; z-index: 2147483646 !important; background: rgba(255, 0, 0, .2) !important }
  .cover.full { inset: 0 !important }
  .cover.corner { right: 0 !important; bottom: 0 !important; width: 200px !important; height: 200px !important }
`;

const page = (widgetOrigin: string) =>
  `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Тема</title><style>${HOSTILE}</style></head>` +
  `<body><h1>Очень громкая тема</h1><p>${'Текст страницы. '.repeat(200)}</p>` +
  // Both before the snippet and (below) after the widget drew itself.
  `<div class="cover full"></div>${snippet(widgetOrigin)}</body></html>`;

/** What the browser's hit test finds at the centre of a widget element: the host in the page, that element inside its shadow root. */
function hitAt(p: Page, selector: string) {
  return p.evaluate((sel) => {
    const host = document.querySelector('support-chat')!;
    const el = host.shadowRoot!.querySelector(sel)!;
    const r = el.getBoundingClientRect();
    const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
    const inPage = document.elementFromPoint(x, y);
    const inWidget = host.shadowRoot!.elementFromPoint(x, y);
    return { hostOnTop: inPage === host, elementOnTop: !!inWidget && (inWidget === el || el.contains(inWidget)), rect: { right: r.right, bottom: r.bottom, width: r.width, height: r.height } };
  }, selector);
}

describe.skipIf(!hasChromium)('widget on a page with hostile CSS', () => {
  let server: TestServer;
  let site: HostSite;
  let browser: Browser;

  beforeAll(async () => {
    site = await startHostSite();
    server = await startTestServer('embedded', { ALLOWED_ORIGINS: site.origin });
    site.pages.set('/', { html: page(server.url) });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await server?.stop();
  });

  it('keeps the launcher fixed in the corner and on top, and the panel\'s text readable', { timeout: 60_000 }, async () => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await p.goto(`${site.origin}/`);
    await p.getByRole('button', { name: 'Открыть чат' }).waitFor();
    // A page script adding another cover after the widget: it is later in the page, at the same near-maximum z-index.
    await p.evaluate(() => document.body.append(Object.assign(document.createElement('div'), { className: 'cover corner' })));

    const host = await p.evaluate(() => {
      const cs = getComputedStyle(document.querySelector('support-chat')!);
      return { position: cs.position, zIndex: cs.zIndex, transform: cs.transform, fontSize: cs.fontSize };
    });
    expect(host).toEqual({ position: 'fixed', zIndex: '2147483647', transform: 'none', fontSize: '15px' });
    const launcher = await hitAt(p, '.l');
    expect(launcher).toEqual({ hostOnTop: true, elementOnTop: true, rect: { right: 1280 - 20, bottom: 800 - 20, width: 60, height: 60 } });
    // Fixed means fixed: scrolling the page does not move it.
    await p.mouse.wheel(0, 1500);
    await expect.poll(() => p.evaluate(() => scrollY)).toBeGreaterThan(0);
    expect((await hitAt(p, '.l')).rect).toEqual(launcher.rect);

    await p.getByRole('button', { name: 'Открыть чат' }).click();
    await p.getByLabel('Сообщение').waitFor();
    await say(p, 'Привет');
    await p.locator('.m.visitor .bubble').waitFor();
    const sizes = await p.evaluate(() => {
      const root = document.querySelector('support-chat')!.shadowRoot!;
      const size = (sel: string) => getComputedStyle(root.querySelector(sel)!).fontSize;
      return { bubble: size('.m.visitor .bubble'), title: size('.head h2'), input: size('textarea') };
    });
    expect(sizes).toEqual({ bubble: '15px', title: '17px', input: '16px' });
    expect(await hitAt(p, 'textarea')).toMatchObject({ hostOnTop: true, elementOnTop: true });
    expect(await hitAt(p, '.send')).toMatchObject({ hostOnTop: true, elementOnTop: true });
    await p.close();
  });
});
