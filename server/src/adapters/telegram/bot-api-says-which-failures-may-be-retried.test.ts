import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TelegramApiError } from '../../services/telegram-outbox.ts';
import { BotApi } from './bot-api.ts';

/** A Bot API on 127.0.0.1 that answers each request with `answer` (or never, when it returns nothing). */
async function botApi(answer: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => answer(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as TelegramApiError);

describe('BotApi', () => {
  let server: Server | null = null;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = null;
  });

  it('posts the params as JSON to /bot<token>/<method> and returns the result', async () => {
    let seen: { url?: string; body?: string } = {};
    const api = await botApi((req, body, res) => {
      seen = { url: req.url, body };
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"result":{"message_id":7}}');
    });
    server = api.server;
    const result = await new BotApi({ baseUrl: api.url, timeoutMs: 5000 }).call('123:tok', 'sendMessage', { chat_id: '42', text: 'привет' });
    expect(result).toEqual({ message_id: 7 });
    expect(seen).toEqual({ url: '/bot123:tok/sendMessage', body: '{"chat_id":"42","text":"привет"}' });
  });

  it('a server that never answers is a retryable timeout', async () => {
    const api = await botApi(() => undefined);
    server = api.server;
    const error = await failure(new BotApi({ baseUrl: api.url, timeoutMs: 50 }).call('123:tok', 'sendMessage', {}));
    expect(error).toBeInstanceOf(TelegramApiError);
    expect(error).toMatchObject({ status: 0, message: 'sendMessage: timed out', retryable: true });
  });

  it("the caller's signal ends a call at once (a long poll being stopped)", async () => {
    const api = await botApi(() => undefined);
    server = api.server;
    const abort = new AbortController();
    const call = failure(new BotApi({ baseUrl: api.url, timeoutMs: 60_000 }).call('123:tok', 'getUpdates', {}, 60_000, abort.signal));
    abort.abort();
    expect(await call).toMatchObject({ status: 0, message: 'getUpdates: network error' });
  });

  it("429 carries Telegram's retry_after; 403 is not retried and says the user blocked the bot", async () => {
    const api = await botApi((req, _body, res) => {
      const [status, body] = req.url!.endsWith('/a')
        ? [429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } }]
        : [403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    server = api.server;
    const client = new BotApi({ baseUrl: api.url, timeoutMs: 5000 });
    expect(await failure(client.call('t', 'a'))).toMatchObject({ status: 429, retryAfterSeconds: 3, retryable: true });
    expect(await failure(client.call('t', 'b'))).toMatchObject({ status: 403, retryable: false, blocked: true, message: 'b: 403 Forbidden: bot was blocked by the user' });
  });
});
