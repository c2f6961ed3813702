/** Debian's Chromium driven by playwright-core (playwright's own browser download cannot work here). */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { startTestServer, type StorageMode, type TestServer } from './test-server.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/**
 * A browser for one test file. Its contexts are its own (cookies, storage, pages), but the
 * Chromium under them is one per test worker process, launched once: a launch costs ~1.5 s of CPU
 * (24 browser files), and a worker runs its files one after another. `close()` closes the
 * contexts the file opened; Chromium itself goes when the worker exits (playwright kills it).
 */
export async function launchChromium(): Promise<Browser> {
  const shared = await sharedChromium();
  const opened = new Set<BrowserContext>();
  const track = (context: BrowserContext) => {
    opened.add(context);
    context.once('close', () => opened.delete(context));
    return context;
  };
  const own: Pick<Browser, 'newContext' | 'newPage' | 'close'> = {
    newContext: async (options) => track(await shared.newContext(options)),
    // Like Browser.newPage: a page in a context of its own, closed with it.
    newPage: async (options) => {
      const context = track(await shared.newContext(options));
      return context.newPage();
    },
    close: async () => {
      await Promise.all([...opened].map((context) => context.close()));
    },
  };
  return new Proxy(shared, { get: (target, name) => (name in own ? own[name as keyof typeof own] : Reflect.get(target, name, target)) });
}

/** Kept on globalThis: a worker may load this module again for another file. */
const SHARED = Symbol.for('support-chat.test.chromium');
type WithShared = typeof globalThis & { [SHARED]?: Promise<Browser> };

function sharedChromium(): Promise<Browser> {
  const holder = globalThis as WithShared;
  const launch = () =>
    chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  // Assigned at once, so that two files starting together share one launch; a crashed one is replaced.
  holder[SHARED] = holder[SHARED]?.then((browser) => (browser.isConnected() ? browser : launch()), launch) ?? launch();
  return holder[SHARED];
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
