/**
 * The load bench's clients: widget-like Socket.IO visitors (websocket transport, the `/visitor`
 * namespace) and a REST caller. Every socket opened here is tracked so the bench can close them
 * all, whatever a scenario did.
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { Ack, MessageDto, SentMessage, VisitorClientToServerEvents, VisitorServerToClientEvents } from '@support-chat/protocol';
import { sleep, TEST_ORIGIN } from '../../server/test/support/server-process.ts';

export type VisitorSocket = Socket<VisitorServerToClientEvents, VisitorClientToServerEvents>;

/** Ordinary questions the bot answers (no "operator please", no goodbyes, which wait longer). */
export const QUESTIONS = [
  'Сколько стоит тариф 500 мегабит?',
  'Не работает интернет, роутер мигает красным',
  'Как поменять пароль от личного кабинета?',
  'Как оплатить счёт картой?',
  'Медленный интернет вечером',
  'how much is the 1 gig plan',
  'how do I change my account email',
  'my wifi router keeps dropping the connection',
  'Когда спишется абонентская плата?',
];

let asked = 0;

/**
 * The n-th question, made a text never sent before by a detail a visitor might add (a contract
 * number): the server remembers its analysis of recent texts, and real visitors rarely repeat
 * one another word for word, so nine texts in turn would measure the memo instead of the bot.
 */
export function question(n: number): string {
  const base = QUESTIONS[n % QUESTIONS.length]!;
  const id = 100_000 + asked++;
  return /[а-яё]/i.test(base) ? `${base} (договор ${id})` : `${base} (account ${id})`;
}

const open = new Set<VisitorSocket>();

export function closeAllSockets(): void {
  for (const socket of open) socket.close();
  open.clear();
}

export interface Visitor {
  socket: VisitorSocket;
  connectMs: number;
  /** Bot messages received (with when they arrived). */
  replies: Array<{ message: MessageDto; at: number }>;
  /** Disconnects the bench did not ask for, with their reasons. */
  drops: string[];
  close(): void;
}

/** Opens one visitor socket; resolves once the namespace accepted it (or rejects with the reason). */
export function connectVisitor(url: string, timeoutMs = 30_000): Promise<Visitor> {
  const started = performance.now();
  const socket: VisitorSocket = io(`${url}/visitor`, {
    auth: { siteKey: 'demo', visitorId: `load-${randomUUID()}` },
    transports: ['websocket'],
    extraHeaders: { origin: TEST_ORIGIN },
    reconnection: false,
    forceNew: true,
    timeout: timeoutMs,
  });
  open.add(socket);
  let closing = false;
  const visitor: Visitor = {
    socket,
    connectMs: 0,
    replies: [],
    drops: [],
    close: () => {
      closing = true;
      socket.close();
      open.delete(socket);
    },
  };
  socket.on('message:new', (message) => {
    if (message.author === 'bot') visitor.replies.push({ message, at: Date.now() });
  });
  socket.on('disconnect', (reason) => {
    if (!closing) visitor.drops.push(reason);
  });
  return new Promise<Visitor>((resolve, reject) => {
    socket.once('connect', () => {
      visitor.connectMs = performance.now() - started;
      resolve(visitor);
    });
    socket.once('connect_error', (error) => {
      visitor.close();
      reject(error);
    });
  });
}

/** Opens `count` visitors with at most `concurrency` handshakes in flight; failures are counted, not thrown. */
export async function connectMany(url: string, count: number, concurrency: number): Promise<{ visitors: Visitor[]; failures: Record<string, number> }> {
  const visitors: Visitor[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        next++;
        try {
          visitors.push(await connectVisitor(url));
        } catch (error) {
          const key = String((error as Error).message).slice(0, 60);
          failures[key] = (failures[key] ?? 0) + 1;
        }
      }
    }),
  );
  return { visitors, failures };
}

export interface SendOutcome {
  ok: boolean;
  code: string | null;
  ackMs: number;
  sent?: SentMessage;
  at: number;
}

/** One `message:send`, waiting at most `timeoutMs` for its ack. */
export async function send(visitor: Visitor, text: string, timeoutMs = 30_000): Promise<SendOutcome> {
  const started = performance.now();
  let ack: Ack<SentMessage> | null;
  try {
    ack = await visitor.socket.timeout(timeoutMs).emitWithAck('message:send', { clientMessageId: randomUUID(), text });
  } catch {
    ack = null;
  }
  const ackMs = performance.now() - started;
  if (!ack) return { ok: false, code: 'no_ack_in_time', ackMs, at: Date.now() };
  if (!ack.ok) return { ok: false, code: ack.error.code, ackMs, at: Date.now() };
  return { ok: true, code: null, ackMs, sent: ack.data, at: Date.now() };
}

export interface LoopResult {
  acked: number;
  errors: Record<string, number>;
  ackMs: number[];
  seconds: number;
}

/** Every visitor: send → ack → send again, until `seconds` have passed. */
export async function sendLoop(visitors: Visitor[], seconds: number): Promise<LoopResult> {
  const result: LoopResult = { acked: 0, errors: {}, ackMs: [], seconds: 0 };
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    visitors.map(async (visitor, v) => {
      for (let i = v; performance.now() < end; i++) {
        if (!visitor.socket.connected) {
          result.errors.disconnected = (result.errors.disconnected ?? 0) + 1;
          return;
        }
        const outcome = await send(visitor, question(i));
        if (outcome.ok) {
          result.acked++;
          result.ackMs.push(outcome.ackMs);
        } else {
          result.errors[outcome.code!] = (result.errors[outcome.code!] ?? 0) + 1;
          if (outcome.code === 'no_ack_in_time') return;
        }
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** Resolves once no bot reply has arrived for `quietMs` (or after `capMs`): the server has drained. */
export async function quiet(visitors: Visitor[], quietMs = 1500, capMs = 60_000): Promise<void> {
  const count = () => visitors.reduce((n, v) => n + v.replies.length, 0);
  const deadline = Date.now() + capMs;
  let seen = count();
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(100);
    const now = count();
    if (now !== seen) {
      seen = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
}

export interface RestResult extends LoopResult {
  statuses: Record<string, number>;
}

/** `POST /api/messages/` from `concurrency` callers (one client_id each) for `seconds`. */
export async function restLoop(url: string, concurrency: number, seconds: number, apiKey: string | null = null): Promise<RestResult> {
  const result: RestResult = { acked: 0, errors: {}, ackMs: [], seconds: 0, statuses: {} };
  const run = randomUUID().slice(0, 8);
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; performance.now() < end; i++) {
        const t0 = performance.now();
        let status: string;
        try {
          const res = await fetch(`${url}/api/messages/`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-platform': 'load-bench', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
            body: JSON.stringify({ client_id: `${run}-${w}`, content: question(w + i), client_message_id: randomUUID() }),
            signal: AbortSignal.timeout(30_000),
          });
          await res.arrayBuffer();
          status = String(res.status);
        } catch (error) {
          status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network_error';
        }
        result.statuses[status] = (result.statuses[status] ?? 0) + 1;
        if (status === '200') {
          result.acked++;
          result.ackMs.push(performance.now() - t0);
        } else {
          result.errors[status] = (result.errors[status] ?? 0) + 1;
          // Refused outright (e.g. an API key is now required): no point hammering it.
          if (status === '401' || status === '403') return;
        }
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
