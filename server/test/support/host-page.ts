/**
 * A customer's site for the widget's browser tests: static pages on their own loopback origin
 * (http://localhost:<port>, while the chat server is http://127.0.0.1:<its port>), each with the
 * headers the test gives it — a strict Content-Security-Policy, say.
 */
import { createServer } from 'node:http';
import { freePort } from './browser.ts';

export interface HostPage {
  html: string;
  headers?: Record<string, string>;
}

export interface HostSite {
  /** http://localhost:<port>, no trailing slash. */
  origin: string;
  /** Pages by path (`/csp`); anything else is a 404. Filled once the chat server's URL is known. */
  pages: Map<string, HostPage>;
  close(): Promise<void>;
}

/** Listens first, so the chat server can be started with this origin allowed (or not). */
export async function startHostSite(): Promise<HostSite> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const pages = new Map<string, HostPage>();
  const server = createServer((req, res) => {
    const page = pages.get(new URL(req.url ?? '/', origin).pathname);
    if (!page) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...page.headers }).end(page.html);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { origin, pages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The snippet a site pastes, pointing at the chat server. */
export function snippet(widgetOrigin: string, site = 'demo'): string {
  return `<script async src="${widgetOrigin}/widget.js" data-site="${site}"></script>`;
}
