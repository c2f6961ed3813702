/**
 * The console's Analytics tab in a real browser shows the numbers of conversations of known shape
 * (support/analytics-seed.ts: November 2026, worked out by hand), and loads its chart library only
 * when the tab opens. Needs the built console (`pnpm build`) and Chromium at /usr/bin/chromium.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAnalyticsConversations } from './support/analytics-seed.ts';
import { hasChromium, launchChromium, startServerForBrowser } from './support/browser.ts';
import type { TestServer } from './support/test-server.ts';

const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/console/console.js', import.meta.url));
const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery' };
const UI_TIMEOUT = 20_000;

describe.skipIf(!hasChromium)('console: analytics (e2e)', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) throw new Error(`${CONSOLE_BUILD} is missing: run \`pnpm build\` before this test`);
    server = await startServerForBrowser('embedded', { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    await seedAnalyticsConversations(server.prisma);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders the seeded month: conversations, deflection, response and resolution times, CSAT, charts', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ timezoneId: 'UTC' });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    try {
      await page.goto(`${server.url}/console`);
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await page.getByTestId('connection').getByText('Connected').waitFor({ timeout: UI_TIMEOUT });
      // The console's first load carries no chart library.
      expect(scripts.filter((s) => s.includes('bar-chart'))).toEqual([]);

      await page.getByRole('button', { name: 'Analytics', exact: true }).click();
      await page.locator('input[name="from"]').fill('2026-11-01');
      await page.locator('input[name="to"]').fill('2026-11-30');
      const figure = (id: string) => page.locator(`[data-figure="${id}"]`);
      await page.getByTestId('figure-conversations').getByText('7', { exact: true }).waitFor({ timeout: UI_TIMEOUT });

      expect(await page.getByTestId('figure-deflection').textContent()).toBe('42.9%');
      expect(await figure('deflection').textContent()).toContain('3 of 7');
      expect(await page.getByTestId('figure-escalations').textContent()).toBe('4');
      expect(await page.getByTestId('figure-first-response').textContent()).toBe('2 min');
      expect(await figure('first-response').textContent()).toContain('p90 4 min 24 s');
      expect(await page.getByTestId('figure-resolution').textContent()).toBe('30 min');
      expect(await figure('resolution').textContent()).toContain('p90 38 min');
      expect(await page.getByTestId('figure-csat').textContent()).toBe('3.25 / 5');
      expect(await figure('csat').textContent()).toContain('4 ratings');

      // Every chart is drawn, by the library loaded now; its numbers are in the chart's table too.
      for (const chart of ['reasons', 'csat', 'hours']) await page.locator(`[data-chart="${chart}"] canvas`).waitFor({ timeout: UI_TIMEOUT });
      expect(scripts.filter((s) => s.includes('bar-chart'))).toHaveLength(1);
      const hours = await page.locator('[data-chart="hours"] tr').allTextContents();
      expect(hours.filter((row) => !row.endsWith('0'))).toEqual(['93', '102', '141', '181']);
      const reasons = await page.locator('[data-chart="reasons"] tr').allTextContents();
      expect(reasons).toEqual(['Asked for a human2', 'Complaint1', 'Repeated question1']);
    } finally {
      await context.close();
    }
  });
});
