/**
 * The Bot API over node's own HTTP client: POST `<base>/bot<token>/<method>` with a JSON body,
 * answer `{ ok, result }` or `{ ok: false, error_code, description, parameters: { retry_after } }`.
 * Failures become `TelegramApiError`s that say whether a retry may help and when; the outbox
 * decides what to do with them. The token is part of the URL, so URLs are never logged.
 * `http.request` on a keep-alive agent rather than `fetch`: every reply is one call, and fetch's
 * web streams cost several times the CPU of the call itself (`pnpm bench telegram`).
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

export class BotApi implements TelegramApi {
  private readonly base: string;
  private readonly agent: http.Agent;

  constructor(private readonly options: BotApiOptions) {
    this.base = options.baseUrl.replace(/\/$/, '');
    this.agent = new URL(this.base).protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  }

  async call<T = unknown>(token: string, method: string, params: Record<string, unknown> = {}, extraTimeoutMs = 0, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs + extraTimeoutMs);
    let answer: { status: number; statusText: string; body: Answer<T> };
    try {
      answer = await this.post<T>(new URL(`${this.base}/bot${token}/${method}`), JSON.stringify(params), signal ? AbortSignal.any([timeout, signal]) : timeout);
    } catch {
      const why = timeout.aborted ? 'timed out' : 'network error';
      throw new TelegramApiError(`${method}: ${why}`, 0, null);
    }
    const { status, statusText, body } = answer;
    if (status >= 200 && status < 300 && body?.ok) return body.result as T;
    const retryAfter = typeof body?.parameters?.retry_after === 'number' ? body.parameters.retry_after : null;
    throw new TelegramApiError(`${method}: ${status} ${body?.description ?? statusText}`.slice(0, 300), status, retryAfter);
  }

  private post<T>(url: URL, json: string, signal: AbortSignal): Promise<{ status: number; statusText: string; body: Answer<T> }> {
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(url, { method: 'POST', agent: this.agent, signal, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          let body: Answer<T> = null;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer<T>;
          } catch {
            // Not JSON (a proxy's error page): the status says what happened.
          }
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', body });
        });
      });
      req.on('error', reject);
      req.end(json);
    });
  }
}
