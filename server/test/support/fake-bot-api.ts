/**
 * A small Bot API server on 127.0.0.1 for the Telegram tests and bench: `/bot<token>/<method>`
 * for setWebhook, deleteWebhook, getUpdates (long polling over queued updates), sendMessage,
 * sendChatAction and answerCallbackQuery. Every call is recorded with its time; failures are
 * scripted per method (`failNext('sendMessage', { status: 429, retryAfter: 1 })`), one per call.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BotApiCall {
  token: string;
  method: string;
  params: Record<string, unknown>;
  at: number;
  /** What the fake answered. */
  status: number;
}

export interface ScriptedFailure {
  status: 403 | 429 | 500;
  retryAfter?: number;
}

export interface FakeBotApi {
  url: string;
  calls: BotApiCall[];
  /** The successful calls of a method (failed attempts are in `calls` too). */
  succeeded(method: string): BotApiCall[];
  failNext(method: string, ...failures: ScriptedFailure[]): void;
  /** Queues an update for getUpdates (update_id is assigned when missing). */
  pushUpdate(update: Record<string, unknown>): number;
  /** Called with each successful call as it arrives (benches measure with it). */
  onCall?: (call: BotApiCall) => void;
  close(): Promise<void>;
}

const DESCRIPTIONS: Record<number, string> = {
  403: 'Forbidden: bot was blocked by the user',
  429: 'Too Many Requests: retry after',
  500: 'Internal Server Error',
};

export async function startFakeBotApi(): Promise<FakeBotApi> {
  const calls: BotApiCall[] = [];
  const failures = new Map<string, ScriptedFailure[]>();
  const updates: Array<Record<string, unknown> & { update_id: number }> = [];
  const waiters = new Set<() => void>();
  let nextUpdateId = 1000;
  let nextMessageId = 1;

  const api: FakeBotApi = {
    url: '',
    calls,
    succeeded: (method) => calls.filter((c) => c.method === method && c.status === 200),
    failNext: (method, ...more) => failures.set(method, [...(failures.get(method) ?? []), ...more]),
    pushUpdate(update) {
      const id = typeof update.update_id === 'number' ? update.update_id : nextUpdateId++;
      updates.push({ ...update, update_id: id });
      for (const wake of waiters) wake();
      return id;
    },
    close: () => new Promise<void>((resolve) => {
      for (const wake of waiters) wake();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', async () => {
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (!match) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
      const [, token, method] = match as unknown as [string, string, string];
      const params = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const failure = failures.get(method)?.shift();
      const call: BotApiCall = { token, method, params, at: Date.now(), status: failure?.status ?? 200 };
      calls.push(call);
      if (failure) {
        return reply(failure.status, {
          ok: false,
          error_code: failure.status,
          description: DESCRIPTIONS[failure.status],
          ...(failure.retryAfter !== undefined ? { parameters: { retry_after: failure.retryAfter } } : {}),
        });
      }
      api.onCall?.(call);
      switch (method) {
        case 'getUpdates': {
          const offset = typeof params.offset === 'number' ? params.offset : 0;
          // Updates below the offset are confirmed: Telegram forgets them.
          while (updates.length > 0 && updates[0]!.update_id < offset) updates.shift();
          if (updates.length === 0 && Number(params.timeout) > 0) {
            await new Promise<void>((resolve) => {
              const wake = () => {
                waiters.delete(wake);
                clearTimeout(timer);
                resolve();
              };
              const timer = setTimeout(wake, Number(params.timeout) * 1000);
              waiters.add(wake);
            });
          }
          return reply(200, { ok: true, result: updates.filter((u) => u.update_id >= offset) });
        }
        case 'sendMessage':
          return reply(200, { ok: true, result: { message_id: nextMessageId++, chat: { id: params.chat_id, type: 'private' }, date: Math.floor(Date.now() / 1000), text: params.text } });
        default:
          return reply(200, { ok: true, result: true });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}

let nextChat = 5_000_000;
/** A private chat's text message update, as Telegram sends it. */
export function textUpdate(text: string, chat: { id?: number; firstName?: string; username?: string; languageCode?: string } = {}, messageId = 1, updateId?: number) {
  const id = chat.id ?? nextChat++;
  return {
    ...(updateId !== undefined ? { update_id: updateId } : {}),
    message: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id, type: 'private', first_name: chat.firstName ?? 'Анна' },
      from: { id, is_bot: false, first_name: chat.firstName ?? 'Анна', username: chat.username ?? 'anna_k', language_code: chat.languageCode ?? 'ru' },
      text,
    },
  };
}

export const newChatId = () => nextChat++;
