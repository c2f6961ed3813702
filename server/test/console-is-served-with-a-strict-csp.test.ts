/**
 * The operator console works under its strict Content-Security-Policy in a real browser — the
 * login, the live socket, the queue — with not one CSP violation (no inline script or style in
 * the build), and no page can frame it. Needs the built console (`pnpm build` → dist/console)
 * and Chromium at /usr/bin/chromium.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium } from './support/browser.ts';
import { startTestServer, waitFor, type TestServer } from './support/test-server.ts';

const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/console/console.js', import.meta.url));
const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery' };
const UI_TIMEOUT = 20_000;

/** CSP violations the page reports, as `directive blockedURI`, and the browser's "Refused to …" console lines. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (/Refused to|Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  await page.exposeFunction('reportViolation', (text: string) => seen.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation(s: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return seen;
}

describe.skipIf(!hasChromium)(`console under its CSP in a browser${hasChromium ? '' : ` (skipped: ${CHROMIUM} is missing)`}`, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) throw new Error(`${CONSOLE_BUILD} is missing: run \`pnpm build\` before this test`);
    server = await startTestServer('embedded', { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('logs in, connects its socket and shows the queue with no CSP violation', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations = await watchViolations(page);
    const response = await page.goto(`${server.url}/console`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByTestId('connection').getByText('Connected').waitFor({ timeout: UI_TIMEOUT });
    // Styles from console.css apply (a blocked stylesheet would leave the page unstyled).
    const styled = await page.evaluate(() => document.styleSheets.length > 0 && [...document.styleSheets].every((s) => s.href?.endsWith('/console/console.css')));
    expect(styled).toBe(true);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('refuses to be framed by another page', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/frame-ancestors/.test(message.text())) refused.push(message.text());
    });
    // The demo page stands for any site: it tries to embed the console.
    await page.goto(`${server.url}/`);
    await page.evaluate((src) => {
      const frame = document.createElement('iframe');
      frame.src = src;
      document.body.append(frame);
    }, `${server.url}/console`);
    await waitFor(() => refused.length > 0, UI_TIMEOUT);
    const consoleFrame = page.frames().find((f) => f.url().endsWith('/console'));
    const rendered = consoleFrame ? await consoleFrame.evaluate(() => document.getElementById('root') !== null).catch(() => false) : false;
    expect(rendered).toBe(false);
    await context.close();
  });
});
