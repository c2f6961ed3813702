/**
 * Security headers on every response, from helmet, plus the request id.
 *
 * - The console is a same-origin app with no inline script or style: a strict CSP
 *   (`default-src 'self'`, no `unsafe-inline`) and it is never framed (`frame-ancestors 'none'`).
 * - The demo page stands for a customer's site: it carries inline styles and the widget draws
 *   `<style>` in its shadow root, so it gets no CSP of ours (a host page's CSP is the host's).
 * - Everything else (JSON, the widget's scripts) is no document: `default-src 'none'`. A CSP on a
 *   script response does not apply to the page that loads it, so the widget keeps working anywhere.
 * - HSTS only when the request came over TLS (`ctx.secure`, which follows X-Forwarded-Proto only
 *   with TRUST_PROXY): over plain HTTP it would be ignored, and on localhost it would stick.
 *
 * Helmet is the source of the headers, but it is run once, at start-up: none of these policies
 * reads the request, so each kind of response gets the list helmet set, copied. Running helmet's
 * middlewares on every request (through koa-helmet's promisified wrappers) was ~2% of a REST
 * call's server CPU.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, Next } from 'koa';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';

type HelmetMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** What a helmet middleware does to a response: headers set, in order, and headers removed. */
interface HeaderEdits {
  set: ReadonlyArray<readonly [string, string]>;
  removed: readonly string[];
}

/** Runs the middleware on a stand-in response and keeps what it did (it must not need the request). */
export function recordHeaders(middleware: HelmetMiddleware): HeaderEdits {
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  const res = {
    setHeader: (name: string, value: unknown) => void set.push([name, String(value)]),
    removeHeader: (name: string) => void removed.push(name),
  };
  let finished = false;
  middleware({} as IncomingMessage, res as unknown as ServerResponse, (error) => {
    if (error) throw error instanceof Error ? error : new Error(String(error));
    finished = true;
  });
  if (!finished) throw new Error('A helmet middleware did not finish at once: its headers cannot be recorded');
  return { set, removed };
}

function apply(res: ServerResponse, edits: HeaderEdits): void {
  for (const name of edits.removed) res.removeHeader(name);
  for (const [name, value] of edits.set) res.setHeader(name, value);
}

const common = recordHeaders(helmet({
  contentSecurityPolicy: false, // per kind of response, below
  strictTransportSecurity: false, // only over TLS, below
  // The widget's files are loaded by other sites' pages; their routes say `cross-origin` themselves.
  crossOriginResourcePolicy: { policy: 'same-origin' },
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  xFrameOptions: { action: 'deny' },
}));

const consolePolicy = recordHeaders(helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    // The page's icon is `data:,` (no favicon request).
    imgSrc: ["'self'", 'data:'],
    // 'self' covers the same host's ws:/wss: (CSP Level 3), which Socket.IO uses.
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
}));

const noDocumentPolicy = recordHeaders(helmet.contentSecurityPolicy({ useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }));

const hsts = recordHeaders(helmet.strictTransportSecurity({ maxAge: 365 * 24 * 3600, includeSubDomains: true }));

const isConsole = (path: string) => path === '/console' || path.startsWith('/console/');
const isDemoPage = (path: string) => path === '/';

export async function securityHeaders(ctx: Context, next: Next): Promise<void> {
  const incoming = ctx.get('x-request-id');
  ctx.state.requestId = /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  ctx.set('X-Request-ID', ctx.state.requestId);
  apply(ctx.res, common);
  if (isConsole(ctx.path)) apply(ctx.res, consolePolicy);
  else if (!isDemoPage(ctx.path)) apply(ctx.res, noDocumentPolicy);
  if (ctx.secure) apply(ctx.res, hsts);
  await next();
}
