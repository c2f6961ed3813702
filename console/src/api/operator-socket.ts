/**
 * The console's Socket.IO connection, typed with the protocol's event maps, and `request()`:
 * an emit that always settles with an `Ack` (a lost or late answer becomes an error ack).
 */
import type { OperatorAuth, OperatorClientToServerEvents, OperatorServerToClientEvents } from '@support-chat/protocol';
import { io, type Socket } from 'socket.io-client';
import { t } from '../i18n/index.ts';

export type OperatorSocket = Socket<OperatorServerToClientEvents, OperatorClientToServerEvents>;

export function connectOperator(token: string): OperatorSocket {
  const auth: OperatorAuth = { token };
  return io('/operator', { auth, transports: ['websocket', 'polling'], tryAllTransports: true });
}

/** The middleware refuses a bad or expired token with a message starting `unauthorized`. */
export function isUnauthorized(error: Error): boolean {
  return error.message.startsWith('unauthorized');
}

/** "unauthorized: session expired or invalid, log in again" → "Session expired or invalid, log in again". */
export function unauthorizedReason(error: Error): string {
  const text = error.message.replace(/^unauthorized:?\s*/, '') || 'log in again';
  return text.charAt(0).toUpperCase() + text.slice(1);
}

type AckPayload<E extends keyof OperatorClientToServerEvents> =
  Parameters<OperatorClientToServerEvents[E]> extends [...unknown[], (res: infer R) => void] ? R : never;
type Args<E extends keyof OperatorClientToServerEvents> =
  Parameters<OperatorClientToServerEvents[E]> extends [...infer A, (res: infer _R) => void] ? A : never;

const TIMEOUT_MS = 10_000;

export async function request<E extends keyof OperatorClientToServerEvents>(
  socket: OperatorSocket,
  event: E,
  ...args: Args<E>
): Promise<AckPayload<E>> {
  try {
    // emitWithAck's overloads cannot follow a generic event name; the maps above keep callers typed.
    const timed = socket.timeout(TIMEOUT_MS);
    const emit = timed.emitWithAck as (ev: string, ...a: unknown[]) => Promise<unknown>;
    return (await emit.call(timed, event, ...args)) as AckPayload<E>;
  } catch {
    const error = socket.connected
      ? { code: 'timeout', message: t('errors.timeout') }
      : { code: 'offline', message: t('errors.offline') };
    return { ok: false, error } as AckPayload<E>;
  }
}
