/** A handful of headers every response carries (no library needed for four lines). */
import type { Context, Next } from 'koa';
import { randomUUID } from 'node:crypto';

export async function securityHeaders(ctx: Context, next: Next): Promise<void> {
  const incoming = ctx.get('x-request-id');
  ctx.state.requestId = /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  ctx.set('X-Request-ID', ctx.state.requestId);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  await next();
}
