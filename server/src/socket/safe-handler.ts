/**
 * Wraps a socket event handler: validates the payload with zod, answers through the ack in
 * the protocol's `Ack` shape, and turns any exception into an error ack — one bad event never
 * breaks the socket or the process.
 */
import type { Ack } from '@support-chat/protocol';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { isDatabaseUnavailable, UNAVAILABLE_MESSAGE } from '../adapters/db/unavailable.ts';
import { ServerBusy } from '../services/work-queue.ts';

export class SocketError extends Error {
  override name = 'SocketError';
  constructor(
    readonly code: string,
    message: string,
    /** For `rate_limited`: when the client may try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

type AckFn<T> = (res: Ack<T>) => void;

export function handler<S extends z.ZodType, T>(
  schema: S,
  logger: Logger,
  run: (payload: z.infer<S>) => Promise<T>,
): (...args: unknown[]) => void {
  return (...args: unknown[]) => {
    const ack = typeof args.at(-1) === 'function' ? (args.at(-1) as AckFn<T>) : null;
    const payload = ack ? args.slice(0, -1)[0] : args[0];
    const reply = (res: Ack<T>) => {
      try {
        ack?.(res);
      } catch {
        /* the client went away */
      }
    };
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.');
      reply({ ok: false, error: { code: 'validation_error', message: field ? `${field}: ${issue.message}` : issue.message } });
      return;
    }
    run(parsed.data).then(
      (data) => reply({ ok: true, data }),
      (error: unknown) => {
        if (error instanceof SocketError) {
          const { code, message, retryAfterSeconds } = error;
          return reply({ ok: false, error: retryAfterSeconds === undefined ? { code, message } : { code, message, retryAfterSeconds } });
        }
        // Backpressure: the widget re-sends by itself after the hinted wait.
        if (error instanceof ServerBusy) return reply({ ok: false, error: { code: 'busy', message: error.message } });
        // The database is down or cut off: a retryable answer, not a bug report.
        if (isDatabaseUnavailable(error)) {
          logger.warn({ err: error }, 'socket handler: database unavailable');
          return reply({ ok: false, error: { code: 'unavailable', message: UNAVAILABLE_MESSAGE } });
        }
        logger.error({ err: error }, 'socket handler failed');
        reply({ ok: false, error: { code: 'internal_error', message: 'Something went wrong, please retry' } });
      },
    );
  };
}
