/**
 * One JSON shape for every error: `{"error":{"code":"…","message":"…"}}`. Only errors marked
 * `expose` say what went wrong; anything else is logged and answered as a plain 500 —
 * never a stack trace to a client.
 */
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { isDatabaseUnavailable, UNAVAILABLE_MESSAGE } from '../adapters/db/unavailable.ts';
import { ServerBusy } from '../services/work-queue.ts';

export class HttpError extends Error {
  override name = 'HttpError';
  readonly expose = true;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** How soon a client should try again when the database is briefly unavailable. */
const RETRY_AFTER_SECONDS = 5;

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_error',
  429: 'rate_limited',
  503: 'unavailable',
};

export function errorMiddleware(logger: Logger) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new HttpError(404, 'not_found', `No route for ${ctx.method} ${ctx.path}`);
      // The router's answers to a known path with another method (405 + Allow, kept) or a method it
      // does not know at all (501) come without a body: they get the one JSON shape too.
      if (ctx.status === 405 && ctx.body === undefined) throw new HttpError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}`);
      if (ctx.status === 501 && ctx.body === undefined) {
        ctx.body = { error: { code: 'not_implemented', message: `${ctx.method} is not supported` } };
        ctx.status = 501;
      }
    } catch (err) {
      // Backpressure: more messages are waiting than the server takes on; the client retries later.
      if (err instanceof ServerBusy) {
        ctx.status = 503;
        ctx.set('Retry-After', String(err.retryAfterSeconds));
        ctx.body = { error: { code: 'busy', message: err.message } };
        return;
      }
      // The database is down or cut off: the client may retry shortly (issue 8), nothing to log as a bug.
      if (isDatabaseUnavailable(err)) {
        logger.warn({ err, path: ctx.path, ip: ctx.ip, requestId: ctx.state.requestId }, 'request failed: database unavailable');
        ctx.status = 503;
        ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
        ctx.body = { error: { code: 'unavailable', message: UNAVAILABLE_MESSAGE } };
        return;
      }
      const e = err as { status?: number; statusCode?: number; expose?: boolean; code?: string; message?: string; type?: string };
      const status = e.status ?? e.statusCode ?? 500;
      // 4xx from Koa or its body parser are the client's fault and safe to name; only messages
      // marked `expose` are passed through verbatim.
      const known = status >= 400 && status < 500;
      const code = e instanceof HttpError ? e.code : CODE_BY_STATUS[status] ?? (known ? 'bad_request' : 'internal_error');
      let message = !known ? 'Internal server error' : e.expose && e.message ? e.message : 'Request failed';
      if (e.type === 'entity.parse.failed') message = 'Malformed JSON in request body';
      if (e.type === 'entity.too.large') message = 'Request body is larger than 1 MiB';
      if (!known) logger.error({ err, path: ctx.path, ip: ctx.ip, requestId: ctx.state.requestId }, 'request failed');
      ctx.status = known ? status : 500;
      ctx.body = { error: { code, message } };
    }
  };
}
