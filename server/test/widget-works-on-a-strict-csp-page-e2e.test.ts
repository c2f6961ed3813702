/**
 * A customer's page with a strict Content-Security-Policy — scripts, connections and styles only
 * from the chat server, no 'unsafe-inline' — in Chromium: the widget loads, looks as designed
 * (its styles are constructed stylesheets, which style-src does not govern) and chats, and the
 * browser reports no violation. Where constructable stylesheets are missing, the loader falls back
 * to <style> elements, which give the same look on a page without such a policy.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from './support/browser.ts';
import { snippet, startHostSite, type HostSite } from './support/host-page.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { botTexts, say } from './support/widget-page.ts';

/** Policies from the README (section Content-Security-Policy): a strict page, and only what the widget needs (styles fall back to default-src 'none'). */
const POLICIES = {
  strict: (w: string) => `default-src 'none'; script-src ${w}; connect-src ${w} ${w.replace(/^http/, 'ws')}; style-src ${w}; img-src ${w} data:`,
  minimal: (w: string) => `default-src 'none'; script-src ${w}; connect-src ${w} ${w.replace(/^http/, 'ws')}`,
};

const page = (widgetOrigin: string) =>
  `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Магазин</title></head>` +
  `<body><h1>Магазин</h1><p>Строгая политика безопасности.</p>${snippet(widgetOrigin)}</body></html>`;

/** Collects CSP violations from before the first script runs (init scripts are not subject to the page's CSP). */
async function watchViolations(p: Page): Promise<{ console: string[]; events: () => Promise<string[]> }> {
  await p.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { violations: string[] }).violations = seen;
    // Composed events: a violation inside the widget's shadow root reaches the window too.
    addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI || 'inline'}`), true);
  });
  const console: string[] = [];
  p.on('console', (m) => /Content.Security.Policy|Refused to/i.test(m.text()) && console.push(m.text()));
  return { console, events: () => p.evaluate(() => [...(window as unknown as { violations: string[] }).violations]) };
}

/** Computed styles of the widget's parts, read inside its shadow root. */
function widgetStyles(p: Page) {
  return p.evaluate(() => {
    const host = document.querySelector('support-chat')!;
    const root = host.shadowRoot!;
    const pick = (el: Element | null, props: string[]) => {
      if (!el) return null;
      const cs = getComputedStyle(el);
      return Object.fromEntries(props.map((k) => [k, cs.getPropertyValue(k)]));
    };
    return {
      host: pick(host, ['position', 'z-index']),
      launcher: pick(root.querySelector('.l'), ['position', 'width', 'height', 'border-radius', 'background-color', 'cursor']),
      panel: pick(root.querySelector('.panel'), ['display', 'position', 'width', 'background-color', 'border-radius', 'font-size']),
      head: pick(root.querySelector('.head'), ['background-color', 'color']),
      styleElements: root.querySelectorAll('style').length,
      adopted: root.adoptedStyleSheets.length,
    };
  });
}

const LAUNCHER = { position: 'absolute', width: '60px', height: '60px', 'border-radius': '50%', 'background-color': 'rgb(31, 95, 209)', cursor: 'pointer' };
const PANEL = { display: 'flex', position: 'absolute', width: '370px', 'background-color': 'rgb(255, 255, 255)', 'border-radius': '16px', 'font-size': '15px' };
const HEAD = { 'background-color': 'rgb(31, 95, 209)', color: 'rgb(255, 255, 255)' };

describe.skipIf(!hasChromium)('widget on a page with a strict CSP', () => {
  let server: TestServer;
  let site: HostSite;
  let browser: Browser;

  beforeAll(async () => {
    site = await startHostSite();
    server = await startTestServer('embedded', { ALLOWED_ORIGINS: site.origin });
    for (const [name, policy] of Object.entries(POLICIES)) site.pages.set(`/${name}`, { html: page(server.url), headers: { 'content-security-policy': policy(server.url) } });
    site.pages.set('/plain', { html: page(server.url) });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await server?.stop();
  });

  it.each(Object.keys(POLICIES))('%s policy: looks as designed and chats, with no CSP violation reported', { timeout: 60_000 }, async (policy) => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const violations = await watchViolations(p);
    await p.goto(`${site.origin}/${policy}`);
    await p.getByRole('button', { name: 'Открыть чат' }).click();
    await p.getByLabel('Сообщение').waitFor();
    const styles = await widgetStyles(p);
    expect(styles.host).toEqual({ position: 'fixed', 'z-index': '2147483647' });
    expect(styles.launcher).toEqual(LAUNCHER);
    expect(styles.panel).toEqual(PANEL);
    expect(styles.head).toEqual(HEAD);
    expect(styles.styleElements).toBe(0);
    expect(styles.adopted).toBe(2); // the loader's and the app's

    await say(p, 'Привет');
    await expect.poll(() => botTexts(p), { timeout: 15_000 }).toHaveLength(1);
    expect(await violations.events()).toEqual([]);
    expect(violations.console).toEqual([]);

    // The watch itself works: an inline <style> on this page is reported.
    await p.evaluate(() => document.head.append(Object.assign(document.createElement('style'), { textContent: 'h1{color:red}' })));
    await expect.poll(() => violations.events()).toEqual(['style-src-elem inline']);
    await p.close();
  });

  it('falls back to <style> elements where stylesheets cannot be constructed, with the same look', { timeout: 60_000 }, async () => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await p.addInitScript(() => {
      // As in Safari before 16.4: CSSStyleSheet exists but cannot be constructed.
      window.CSSStyleSheet = function CSSStyleSheet() {
        throw new TypeError('Illegal constructor');
      } as unknown as typeof CSSStyleSheet;
    });
    await p.goto(`${site.origin}/plain`);
    await p.getByRole('button', { name: 'Открыть чат' }).click();
    await p.getByLabel('Сообщение').waitFor();
    const styles = await widgetStyles(p);
    expect(styles.adopted).toBe(0);
    expect(styles.styleElements).toBe(2);
    expect(styles.launcher).toEqual(LAUNCHER);
    expect(styles.panel).toEqual(PANEL);
    expect(styles.head).toEqual(HEAD);
    await p.close();
  });
});
