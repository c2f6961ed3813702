/**
 * The console's "API keys" section in a real browser: an admin creates a key (shown once, with a
 * copy button), a REST call with it is answered, the admin revokes it and the same call is 401.
 * Needs the built console (`pnpm build` → dist/console) and Chromium at /usr/bin/chromium.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import type { TestServer } from './support/test-server.ts';

const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/console/console.js', import.meta.url));
const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery' };
const UI_TIMEOUT = 20_000;

describe.skipIf(!hasChromium)('console: API keys (e2e)', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) throw new Error(`${CONSOLE_BUILD} is missing: run \`pnpm build\` before this test`);
    // Behind a trusted proxy with a forwarded client: only a key lets the REST calls in.
    server = await startServerForBrowser('embedded', { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, TRUST_PROXY: 'true' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const post = (key: string) =>
    fetch(`${server.url}/api/messages/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9', authorization: `Bearer ${key}` },
      body: JSON.stringify({ client_id: 'e2e-client', content: 'Здравствуйте' }),
    });

  it('an admin creates a key shown once, copies it, and revokes it', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/console`);
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await page.getByTestId('connection').getByText('Connected').waitFor({ timeout: UI_TIMEOUT });

      await page.getByRole('button', { name: 'API keys' }).click();
      await page.getByText('No API keys yet.').waitFor({ timeout: UI_TIMEOUT });
      await page.getByLabel('New key for').fill('CRM');
      await page.getByRole('button', { name: 'Create key' }).click();
      const key = (await page.getByTestId('new-api-key').textContent({ timeout: UI_TIMEOUT }))!;
      expect(key).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
      await page.getByRole('button', { name: 'Copy', exact: true }).click();
      await page.getByRole('button', { name: 'Copied', exact: true }).waitFor({ timeout: UI_TIMEOUT });
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
      expect((await post(key)).status).toBe(200);

      // The list shows the prefix, never the key; after a reload the key is gone for good.
      await page.reload();
      await page.getByRole('button', { name: 'API keys' }).click();
      const row = page.getByRole('row', { name: /CRM/ });
      await row.waitFor({ timeout: UI_TIMEOUT });
      expect(await row.textContent()).toContain(key.slice(0, 11));
      expect(await page.content()).not.toContain(key);

      page.once('dialog', (dialog) => void dialog.accept());
      await row.getByRole('button', { name: 'Revoke' }).click();
      await row.getByText(/^Revoked/).waitFor({ timeout: UI_TIMEOUT });
      expect((await post(key)).status).toBe(401);
    } finally {
      await context.close();
    }
  });
});
