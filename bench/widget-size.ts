/**
 * Widget size bench: how many bytes a visitor downloads for the chat, as the server sends them.
 *
 * The demo page and dist/widget are served by the server's own static route (see
 * server/test/support/static-site.ts), the page on another origin than the widget. Chromium opens
 * the page and every widget JavaScript response is recorded: the loader (widget.js), then all other
 * widget JavaScript once the launcher has been clicked and the panel is open. Each file is then
 * fetched again as a gzip-only and as a brotli client, and the bytes on the wire are printed with
 * the encoding Chromium itself was sent. The gzip numbers are checked against the limits.
 *
 *   pnpm build && pnpm exec tsx bench/widget-size.ts
 */
import { request } from 'node:http';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startStaticSite } from '../server/test/support/static-site.ts';

export const WIDGET_SIZE_LIMITS = {
  loader: { goal: 2560, hard: 4096 },
  total: { goal: 25600, hard: 35840 },
} as const;

export interface WidgetFile {
  url: string;
  /** Uncompressed. */
  bytes: number;
  /** Sent to a client that accepts gzip only. */
  gzip: number;
  /** Sent to a client that accepts brotli. */
  brotli: number;
  /** The Content-Encoding Chromium got (`identity` when none). */
  chromium: string;
}

export interface WidgetSizeReport {
  loader: WidgetFile;
  /** Widget JavaScript other than the loader, fetched by the time the panel is open. */
  app: WidgetFile[];
  totalGzip: number;
}

export interface WidgetSizeOptions {
  /** Repository root (holds dist/widget and demo-site). */
  root?: string;
  chromiumPath?: string;
}

export class WidgetSizeLimitError extends Error {
  override name = 'WidgetSizeLimitError';
}

export async function measureWidgetSize(options: WidgetSizeOptions = {}): Promise<WidgetSizeReport> {
  const site = await startStaticSite(options.root);
  const browser = await chromium.launch({
    executablePath: options.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const received = new Map<string, string>();
    page.on('response', (response) => {
      const url = response.url();
      const headers = response.headers();
      if (url.startsWith(site.widgetOrigin) && /javascript/.test(headers['content-type'] ?? '') && !received.has(url)) {
        received.set(url, headers['content-encoding'] ?? 'identity');
      }
    });

    await page.goto(site.pageUrl, { waitUntil: 'load' });
    const launcher = page.locator('support-chat .l');
    await launcher.waitFor({ state: 'visible', timeout: 10_000 });
    await launcher.click();
    try {
      await page.locator('support-chat .panel').waitFor({ state: 'visible', timeout: 10_000 });
    } catch (error) {
      throw new Error(`the chat panel did not open${pageErrors.length ? `; page errors: ${pageErrors.join('; ')}` : ''}`, {
        cause: error,
      });
    }
    // Anything the open panel pulls in lazily (a split chunk, a locale) arrives right after.
    await page.waitForTimeout(1000);

    const files: WidgetFile[] = [];
    for (const [url, encoding] of received) {
      const [bytes, gzip, brotli] = [await servedBytes(url, 'identity'), await servedBytes(url, 'gzip'), await servedBytes(url, 'br')];
      files.push({ url, bytes, gzip, brotli, chromium: encoding });
    }
    const loader = files.find((f) => new URL(f.url).pathname === '/widget.js');
    if (!loader) throw new Error('the page never fetched /widget.js');
    const app = files.filter((f) => f !== loader);
    return { loader, app, totalGzip: files.reduce((sum, f) => sum + f.gzip, 0) };
  } finally {
    await browser.close();
    await site.close();
  }
}

/** Bytes of the body the server sends to a client with this Accept-Encoding (as sent, not decoded). */
function servedBytes(url: string, acceptEncoding: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'Accept-Encoding': acceptEncoding } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/** Prints the sizes against the limits; throws WidgetSizeLimitError when a hard limit is broken. */
export async function runWidgetSizeBench(options: WidgetSizeOptions = {}): Promise<void> {
  const report = await measureWidgetSize(options);
  const { loader: loaderLimit, total: totalLimit } = WIDGET_SIZE_LIMITS;
  const verdict = (bytes: number, limit: { goal: number; hard: number }) =>
    bytes > limit.hard ? 'OVER HARD LIMIT' : bytes > limit.goal ? 'over goal' : 'ok';
  const name = (f: WidgetFile) => new URL(f.url).pathname.slice(1);

  const row = (label: string, f: { bytes: number; gzip: number; brotli: number }) =>
    `  ${label.padEnd(34)} ${String(f.gzip).padStart(7)} ${String(f.brotli).padStart(7)} ${String(f.bytes).padStart(7)}`;
  const sum = (files: WidgetFile[]) => files.reduce((t, f) => ({ bytes: t.bytes + f.bytes, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }), { bytes: 0, gzip: 0, brotli: 0 });

  console.log('widget size: bytes on the wire as the server sends them (pre-compressed by the build)');
  console.log(`  ${'file'.padEnd(34)} ${'gzip'.padStart(7)} ${'brotli'.padStart(7)} ${'raw'.padStart(7)}  Chromium got`);
  for (const f of [report.loader, ...report.app]) console.log(`${row(name(f), f)}  ${f.chromium}`);
  console.log(row('app after open', sum(report.app)));
  console.log(row('total', sum([report.loader, ...report.app])));
  console.log(`  loader gzip ${report.loader.gzip} B: goal ≤ ${loaderLimit.goal}, hard ≤ ${loaderLimit.hard} → ${verdict(report.loader.gzip, loaderLimit)}`);
  console.log(`  total gzip ${report.totalGzip} B: goal ≤ ${totalLimit.goal}, hard ≤ ${totalLimit.hard} → ${verdict(report.totalGzip, totalLimit)}`);

  const broken: string[] = [];
  if (report.loader.gzip > loaderLimit.hard) broken.push(`loader ${report.loader.gzip} B gz > ${loaderLimit.hard}`);
  if (report.totalGzip > totalLimit.hard) broken.push(`total ${report.totalGzip} B gz > ${totalLimit.hard}`);
  if (report.app.length === 0) broken.push('no app JavaScript was fetched after opening the chat');
  if (broken.length) throw new WidgetSizeLimitError(`widget size: ${broken.join('; ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runWidgetSizeBench().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
