/**
 * Widget size bench: how many gzip bytes a visitor downloads for the chat.
 *
 * Serves dist/widget and demo-site/index.html from one tiny static server on 127.0.0.1, opens the
 * page in Chromium and records every JavaScript response: the loader (widget.js), then all other
 * widget JavaScript once the launcher has been clicked and the panel is open. The page is loaded as
 * http://localhost:<port> and the widget from http://127.0.0.1:<port>, so the app import is
 * cross-origin exactly as on a customer's site. There is no socket backend: the socket simply fails
 * to connect, which does not change what is downloaded.
 *
 *   pnpm build && pnpm exec tsx bench/widget-size.ts
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

export const WIDGET_SIZE_LIMITS = {
  loader: { goal: 2560, hard: 4096 },
  total: { goal: 25600, hard: 35840 },
} as const;

export interface WidgetFile {
  url: string;
  bytes: number;
  gzip: number;
}

export interface WidgetSizeReport {
  loader: WidgetFile;
  /** Widget JavaScript other than the loader, fetched by the time the panel is open. */
  app: WidgetFile[];
  appGzip: number;
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

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The origin the demo page's snippet points at; replaced by the served one. */
const SNIPPET_ORIGIN = 'http://localhost:3000';

export async function measureWidgetSize(options: WidgetSizeOptions = {}): Promise<WidgetSizeReport> {
  const root = options.root ?? ROOT;
  const distDir = `${root}/dist/widget`;
  if (!existsSync(`${distDir}/widget.js`) || !existsSync(`${distDir}/widget-app.js`)) {
    throw new Error(`no widget build in ${distDir}: run \`pnpm build\` first`);
  }
  const server = await serve(root);
  const port = (server.address() as AddressInfo).port;
  const pageUrl = `http://localhost:${port}/`;
  const widgetOrigin = `http://127.0.0.1:${port}`;

  const browser = await chromium.launch({
    executablePath: options.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const files = new Map<string, Promise<WidgetFile>>();
    page.on('response', (response) => {
      const url = response.url();
      const type = response.headers()['content-type'] ?? '';
      if (!url.startsWith(widgetOrigin) || !/javascript/.test(type) || files.has(url)) return;
      files.set(
        url,
        response.body().then((body) => ({ url, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length })),
      );
    });

    await page.goto(`${pageUrl}?widget=${encodeURIComponent(widgetOrigin)}`, { waitUntil: 'load' });
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

    const fetched = await Promise.all(files.values());
    const loader = fetched.find((f) => new URL(f.url).pathname === '/widget.js');
    if (!loader) throw new Error('the page never fetched /widget.js');
    const app = fetched.filter((f) => f !== loader);
    const appGzip = app.reduce((sum, f) => sum + f.gzip, 0);
    return { loader, app, appGzip, totalGzip: loader.gzip + appGzip };
  } finally {
    await browser.close();
    server.close();
  }
}

/** Prints the sizes against the limits; throws WidgetSizeLimitError when a hard limit is broken. */
export async function runWidgetSizeBench(options: WidgetSizeOptions = {}): Promise<void> {
  const report = await measureWidgetSize(options);
  const { loader: loaderLimit, total: totalLimit } = WIDGET_SIZE_LIMITS;
  const verdict = (bytes: number, limit: { goal: number; hard: number }) =>
    bytes > limit.hard ? 'OVER HARD LIMIT' : bytes > limit.goal ? 'over goal' : 'ok';
  const name = (f: WidgetFile) => new URL(f.url).pathname.slice(1);

  console.log('widget size (gzip -9 of what Chromium fetched)');
  console.log(
    `  loader: ${report.loader.gzip} B gz  (${report.loader.bytes} B raw; goal ≤ ${loaderLimit.goal}, hard ≤ ${loaderLimit.hard}) ${verdict(report.loader.gzip, loaderLimit)}`,
  );
  console.log(`  app after open: ${report.appGzip} B gz  (${report.app.map((f) => `${name(f)} ${f.gzip}`).join(', ') || 'nothing'})`);
  console.log(
    `  total: ${report.totalGzip} B gz  (goal ≤ ${totalLimit.goal}, hard ≤ ${totalLimit.hard}) ${verdict(report.totalGzip, totalLimit)}`,
  );

  const broken: string[] = [];
  if (report.loader.gzip > loaderLimit.hard) broken.push(`loader ${report.loader.gzip} B gz > ${loaderLimit.hard}`);
  if (report.totalGzip > totalLimit.hard) broken.push(`total ${report.totalGzip} B gz > ${totalLimit.hard}`);
  if (report.app.length === 0) broken.push('no app JavaScript was fetched after opening the chat');
  if (broken.length) throw new WidgetSizeLimitError(`widget size: ${broken.join('; ')}`);
}

/**
 * `/` is the demo page with the snippet pointed at the origin named in `?widget=`; `/<name>.js`
 * is a file of dist/widget, served as a cross-origin module must be (JS MIME type, CORS).
 */
function serve(root: string): Promise<Server> {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://bench');
      if (url.pathname === '/' || url.pathname === '/index.html') {
        const widgetOrigin = url.searchParams.get('widget') ?? `http://${req.headers.host}`;
        const html = (await readFile(`${root}/demo-site/index.html`, 'utf8')).replaceAll(SNIPPET_ORIGIN, widgetOrigin);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
        return;
      }
      const file = /^\/([\w.-]+\.js)$/.exec(url.pathname)?.[1];
      if (file && existsSync(`${root}/dist/widget/${file}`)) {
        res
          .writeHead(200, {
            'content-type': 'text/javascript; charset=utf-8',
            'access-control-allow-origin': '*',
            'cache-control': 'no-cache',
          })
          .end(await readFile(`${root}/dist/widget/${file}`));
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runWidgetSizeBench().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
