/**
 * The Bot API over plain `fetch`: POST `<base>/bot<token>/<method>` with a JSON body, answer
 * `{ ok, result }` or `{ ok: false, error_code, description, parameters: { retry_after } }`.
 * Failures become `TelegramApiError`s that say whether a retry may help and when; the outbox
 * decides what to do with them. The token is part of the URL, so URLs are never logged.
 */
import { TelegramApiError } from '../../services/telegram-outbox.ts';
import type { TelegramApi } from '../../services/ports.ts';

export interface BotApiOptions {
  baseUrl: string;
  /** One call's deadline (long polls add their own wait to it). */
  timeoutMs: number;
}

export class BotApi implements TelegramApi {
  constructor(private readonly options: BotApiOptions) {}

  async call<T = unknown>(token: string, method: string, params: Record<string, unknown> = {}, extraTimeoutMs = 0, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs + extraTimeoutMs);
    let res: Response;
    try {
      res = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/bot${token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (error) {
      const why = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'network error';
      throw new TelegramApiError(`${method}: ${why}`, 0, null);
    }
    const body = (await res.json().catch(() => null)) as { ok?: boolean; result?: T; description?: string; parameters?: { retry_after?: number } } | null;
    if (res.ok && body?.ok) return body.result as T;
    const retryAfter = typeof body?.parameters?.retry_after === 'number' ? body.parameters.retry_after : null;
    throw new TelegramApiError(`${method}: ${res.status} ${body?.description ?? res.statusText}`.slice(0, 300), res.status, retryAfter);
  }
}
