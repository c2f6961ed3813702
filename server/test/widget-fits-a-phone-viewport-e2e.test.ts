/**
 * A phone (390×844, touch, mobile viewport) on a page wider than its screen, as the demo page is
 * with its 473 px table: Chromium then lays the page out wider than what the visitor sees, and a
 * plain `position: fixed; right: 20px` corner is off-screen. The launcher and the opened panel
 * must be inside the visual viewport — the panel filling it, in portrait and in landscape — also
 * after the visitor pans sideways, with touch targets of at least 44 px.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from './support/browser.ts';
import { snippet, startHostSite, type HostSite } from './support/host-page.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const page = (widgetOrigin: string, width: number) =>
  `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>Тарифы</title><style>body{margin:0;font:16px system-ui}.wide{width:${width}px;height:1500px;background:linear-gradient(90deg,#eef,#fee)}</style></head>` +
  `<body><div class="wide">Таблица тарифов шире экрана</div>${snippet(widgetOrigin)}</body></html>`;

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The visual viewport and a widget element's box, both in the layout viewport's coordinates. */
function boxes(p: Page, selector: string) {
  return p.evaluate((sel) => {
    const vv = visualViewport!;
    const r = document.querySelector('support-chat')!.shadowRoot!.querySelector(sel)!.getBoundingClientRect();
    return {
      screen: { left: vv.offsetLeft, top: vv.offsetTop, right: vv.offsetLeft + vv.width, bottom: vv.offsetTop + vv.height },
      element: { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
      layoutWidth: innerWidth,
    };
  }, selector);
}

const inside = (inner: Box, outer: Box) =>
  inner.left >= outer.left - 0.5 && inner.top >= outer.top - 0.5 && inner.right <= outer.right + 0.5 && inner.bottom <= outer.bottom + 0.5;
const rounded = (b: Box) => ({ left: Math.round(b.left), top: Math.round(b.top), right: Math.round(b.right), bottom: Math.round(b.bottom) });

/** Width × height of every button and text field the widget shows, by accessible name (the field by id). */
function touchTargets(p: Page) {
  return p.evaluate(() => {
    const root = document.querySelector('support-chat')!.shadowRoot!;
    return [...root.querySelectorAll('button, textarea')]
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.height > 0)
      .map(({ el, r }) => ({ target: el.getAttribute('aria-label') ?? el.id, width: Math.round(r.width), height: Math.round(r.height) }));
  });
}

describe.skipIf(!hasChromium)('widget on a phone, page wider than the screen', () => {
  let server: TestServer;
  let site: HostSite;
  let browser: Browser;

  beforeAll(async () => {
    site = await startHostSite();
    server = await startTestServer('embedded', { ALLOWED_ORIGINS: site.origin });
    site.pages.set('/portrait', { html: page(server.url, 473) });
    site.pages.set('/landscape', { html: page(server.url, 1100) });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await server?.stop();
  });

  for (const [orientation, viewport] of [
    ['portrait', { width: 390, height: 844 }],
    ['landscape', { width: 844, height: 390 }],
  ] as const) {
    it(`${orientation}: launcher and full-screen panel inside the visual viewport, also after panning; targets ≥ 44 px`, { timeout: 60_000 }, async () => {
      const context = await browser.newContext({ viewport, isMobile: true, hasTouch: true, deviceScaleFactor: 3 });
      const p = await context.newPage();
      await p.goto(`${site.origin}/${orientation}`);
      const launcher = p.getByRole('button', { name: 'Открыть чат' });
      await launcher.waitFor();

      const closed = await boxes(p, '.l');
      // The situation under test: the page is laid out wider than the screen.
      expect(closed.layoutWidth).toBeGreaterThan(viewport.width);
      expect(inside(closed.element, closed.screen), JSON.stringify(closed)).toBe(true);
      // In the corner the visitor sees.
      expect(Math.round(closed.screen.right - closed.element.right)).toBe(20);
      expect(Math.round(closed.screen.bottom - closed.element.bottom)).toBe(20);

      // Panning sideways moves the visual viewport over the wider layout; the launcher follows it.
      await p.mouse.wheel(300, 200);
      await expect.poll(async () => (await boxes(p, '.l')).screen.left).toBeGreaterThan(0);
      await expect.poll(async () => {
        const b = await boxes(p, '.l');
        return Math.round(b.screen.right - b.element.right);
      }).toBe(20);

      // force: Playwright's own "is it on top?" check mixes visual and layout coordinates once the
      // visual viewport is panned; the tap lands where the launcher is drawn, and opens it only if
      // nothing covers it there.
      await launcher.tap({ force: true });
      await p.getByLabel('Сообщение').waitFor();
      const open = await boxes(p, '.panel');
      // Full screen: exactly the visual viewport.
      expect(rounded(open.element)).toEqual(rounded(open.screen));
      expect(await p.locator('support-chat .l').isVisible()).toBe(false); // the panel's own close button closes it

      const targets = await touchTargets(p);
      expect(targets.map((t) => t.target)).toEqual(expect.arrayContaining(['Закрыть чат', 'sc-input', 'Отправить']));
      for (const t of targets) expect(Math.min(t.width, t.height), JSON.stringify(t)).toBeGreaterThanOrEqual(44);

      await p.getByRole('button', { name: 'Закрыть чат' }).tap({ force: true });
      await expect.poll(async () => inside((await boxes(p, '.l')).element, (await boxes(p, '.l')).screen)).toBe(true);
      const launcherTarget = (await touchTargets(p)).find((t) => t.target === 'Открыть чат');
      expect(launcherTarget).toMatchObject({ width: 60, height: 60 });
      await context.close();
    });
  }
});
