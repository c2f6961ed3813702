/**
 * Security headers on every response, from helmet (through koa-helmet), plus the request id.
 *
 * - The console is a same-origin app with no inline script or style: a strict CSP
 *   (`default-src 'self'`, no `unsafe-inline`) and it is never framed (`frame-ancestors 'none'`).
 * - The demo page stands for a customer's site: it carries inline styles and the widget draws
 *   `<style>` in its shadow root, so it gets no CSP of ours (a host page's CSP is the host's).
 * - Everything else (JSON, the widget's scripts) is no document: `default-src 'none'`. A CSP on a
 *   script response does not apply to the page that loads it, so the widget keeps working anywhere.
 * - HSTS only when the request came over TLS (`ctx.secure`, which follows X-Forwarded-Proto only
 *   with TRUST_PROXY): over plain HTTP it would be ignored, and on localhost it would stick.
 */
import type { Context, Next } from 'koa';
import helmet from 'koa-helmet';
import { randomUUID } from 'node:crypto';

const common = helmet({
  contentSecurityPolicy: false, // per kind of response, below
  strictTransportSecurity: false, // only over TLS, below
  // The widget's files are loaded by other sites' pages; their routes say `cross-origin` themselves.
  crossOriginResourcePolicy: { policy: 'same-origin' },
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  xFrameOptions: { action: 'deny' },
});

const consolePolicy = helmet.contentSecurityPolicy({
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
});

const noDocumentPolicy = helmet.contentSecurityPolicy({ useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } });

const hsts = helmet.strictTransportSecurity({ maxAge: 365 * 24 * 3600, includeSubDomains: true });

const isConsole = (path: string) => path === '/console' || path.startsWith('/console/');
const isDemoPage = (path: string) => path === '/';

const pass = async () => {};

export async function securityHeaders(ctx: Context, next: Next): Promise<void> {
  const incoming = ctx.get('x-request-id');
  ctx.state.requestId = /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  ctx.set('X-Request-ID', ctx.state.requestId);
  await common(ctx, pass);
  if (isConsole(ctx.path)) await consolePolicy(ctx, pass);
  else if (!isDemoPage(ctx.path)) await noDocumentPolicy(ctx, pass);
  if (ctx.secure) await hsts(ctx, pass);
  await next();
}
