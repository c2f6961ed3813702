/**
 * The Bot API over node's own HTTP client: POST `<base>/bot<token>/<method>` with a JSON body,
 * answer `{ ok, result }` or `{ ok: false, error_code, description, parameters: { retry_after } }`.
 * Failures become `TelegramApiError`s that say whether a retry may help and when; the outbox
 * decides what to do with them. The token is part of the URL, so URLs are never logged.
 * `http.request` on a keep-alive agent rather than `fetch`: every reply is one call, and fetch's
 * web streams cost several times the CPU of the call itself (`pnpm bench telegram`). The deadline
 * is one timer that destroys the request, and a caller's signal is listened to only when given:
 * `AbortSignal.timeout` + `AbortSignal.any` + the request's `signal` option cost more CPU than
 * the rest of a call.
 */
import http from 'node:http';
import https from 'node:https';
import { TelegramApiError } from '../../services/telegram-outbox.ts';
import type { TelegramApi } from '../../services/ports.ts';

export interface BotApiOptions {
  baseUrl: string;
  /** One call's deadline (long polls add their own wait to it). */
  timeoutMs: number;
}

type Answer<T> = { ok?: boolean; result?: T; description?: string; parameters?: { retry_after?: number } } | null;

class CallTimedOut extends Error {
  override name = 'CallTimedOut';
}

export class BotApi implements TelegramApi {
  private readonly client: typeof http | typeof https;
  /** Host, port and agent of every request; only the path and body differ. */
  private readonly target: http.RequestOptions;
  private readonly basePath: string;

  constructor(private readonly options: BotApiOptions) {
    const base = new URL(options.baseUrl.replace(/\/$/, ''));
    const secure = base.protocol === 'https:';
    this.client = secure ? https : http;
    this.basePath = base.pathname.replace(/\/$/, '');
    this.target = {
      protocol: base.protocol,
      hostname: base.hostname.replace(/^\[|\]$/g, ''),
      port: base.port || (secure ? 443 : 80),
      method: 'POST',
      agent: secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true }),
    };
  }

  async call<T = unknown>(token: string, method: string, params: Record<string, unknown> = {}, extraTimeoutMs = 0, signal?: AbortSignal): Promise<T> {
    let answer: { status: number; statusText: string; body: Answer<T> };
    try {
      answer = await this.post<T>(`${this.basePath}/bot${token}/${method}`, JSON.stringify(params), this.options.timeoutMs + extraTimeoutMs, signal);
    } catch (error) {
      throw new TelegramApiError(`${method}: ${error instanceof CallTimedOut ? 'timed out' : 'network error'}`, 0, null);
    }
    const { status, statusText, body } = answer;
    if (status >= 200 && status < 300 && body?.ok) return body.result as T;
    const retryAfter = typeof body?.parameters?.retry_after === 'number' ? body.parameters.retry_after : null;
    throw new TelegramApiError(`${method}: ${status} ${body?.description ?? statusText}`.slice(0, 300), status, retryAfter);
  }

  private post<T>(path: string, json: string, timeoutMs: number, signal?: AbortSignal): Promise<{ status: number; statusText: string; body: Answer<T> }> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const req = this.client.request({ ...this.target, path, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          done();
          let body: Answer<T> = null;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer<T>;
          } catch {
            // Not JSON (a proxy's error page): the status says what happened.
          }
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', body });
        });
      });
      const abort = () => req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      const timer = setTimeout(() => req.destroy(new CallTimedOut()), timeoutMs);
      timer.unref(); // a pending call does not hold a stopping process
      signal?.addEventListener('abort', abort, { once: true });
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
      }
      function fail(error: Error) {
        done();
        reject(error);
      }
      req.on('error', fail);
      req.end(json);
    });
  }
}
