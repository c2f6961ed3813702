/** Debian's Chromium driven by playwright-core (playwright's own browser download cannot work here). */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { startTestServer, type StorageMode, type TestServer } from './test-server.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** A free loopback port, for tests whose server must know its own URL before it listens. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A test server for browser tests: it listens on a known loopback port and knows its public
 * URL, because the demo page's script tag must point at it.
 */
export async function startServerForBrowser(mode: StorageMode, env: Record<string, string> = {}): Promise<TestServer> {
  const port = await freePort();
  return startTestServer(mode, { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...env });
}
