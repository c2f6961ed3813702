/**
 * The demo page and the built widget, served on loopback by the server's own static route
 * (server/src/http/routes/static-files.ts: pre-compressed copies, cache headers, CORS) without
 * the rest of the server: the widget benches measure what a visitor's browser gets, and the socket
 * simply fails to connect, which changes nothing they count.
 *
 * The page is reached as http://localhost:<port>/ and its snippet points at http://127.0.0.1:<port>,
 * so the widget is cross-origin exactly as on a customer's site. `/without-widget` is the same
 * page with the script tag taken out: the baseline of the host-page bench.
 */
import Koa from 'koa';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { staticRoutes } from '../../src/http/routes/static-files.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SNIPPET = /\s*<script async src="[^"]*\/widget\.js"[^>]*><\/script>/;

export interface StaticSite {
  /** The demo page with the widget's script tag. */
  pageUrl: string;
  /** The same page without it. */
  baselineUrl: string;
  /** Where the widget's files are served from (another origin than the page). */
  widgetOrigin: string;
  close(): Promise<void>;
}

export async function startStaticSite(root = ROOT): Promise<StaticSite> {
  if (!existsSync(`${root}/dist/widget/widget.js`)) throw new Error(`no widget build in ${root}/dist/widget: run \`pnpm build\` first`);
  const demo = await readFile(`${root}/demo-site/index.html`, 'utf8');
  if (!SNIPPET.test(demo)) throw new Error('demo-site/index.html has no widget script tag to take out');

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const widgetOrigin = `http://127.0.0.1:${port}`;

  const app = new Koa();
  app.use(async (ctx, next) => {
    if (ctx.path !== '/without-widget') return next();
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = demo.replace(SNIPPET, '');
  });
  const routes = staticRoutes({
    config: { NODE_ENV: 'production', PUBLIC_URL: widgetOrigin } as Parameters<typeof staticRoutes>[0]['config'],
    paths: { distDir: `${root}/dist`, demoDir: `${root}/demo-site` },
  });
  app.use(routes.routes());
  server.on('request', app.callback());

  return {
    pageUrl: `http://localhost:${port}/`,
    baselineUrl: `http://localhost:${port}/without-widget`,
    widgetOrigin,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
