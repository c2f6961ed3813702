/**
 * Operator sockets outlive their handshake: a token revoked later (logout, a new password) or
 * expired would keep its socket working. Every `intervalMs` the tokens of this process's
 * connected operator sockets are checked again and the sockets of dead ones are disconnected,
 * so a revoked session ends within one interval. The console reconnects, the handshake refuses
 * the token and the operator is sent to the login form. A live session's current role and sites
 * are handed to `onSession` (the socket re-syncs its site rooms: a missed change is caught here).
 */
import { BackgroundLoop } from '../services/background-loop.ts';
import type { OperatorAuth } from '../services/operator-auth.ts';
import type { OperatorNamespace, OperatorSocket } from './typed-io.ts';

type Session = NonNullable<Awaited<ReturnType<OperatorAuth['session']>>>;

export interface RevokedSessionSweepOptions {
  intervalMs: number;
  onError: (error: unknown, context: string) => void;
  /** A socket whose session is still valid, with its operator's current profile and sites. */
  onSession?: (socket: OperatorSocket, session: Session) => void;
}

export function revokedSessionSweep(nsp: OperatorNamespace, auth: Pick<OperatorAuth, 'session'>, options: RevokedSessionSweepOptions): BackgroundLoop {
  return new BackgroundLoop(
    async () => {
      // Several tabs of one operator share a token: each token is checked once per pass.
      const verdicts = new Map<string, Promise<Session | null>>();
      for (const socket of nsp.sockets.values()) {
        const { token } = socket.data;
        if (!verdicts.has(token)) verdicts.set(token, auth.session(token));
        // A store failure rejects (the loop reports it and backs off): nobody is disconnected for it.
        const session = await verdicts.get(token);
        if (!session) socket.disconnect(true);
        else options.onSession?.(socket, session);
      }
    },
    // Backing off while the database is away must still stay under the 60 s promise.
    { name: 'operator session re-check', intervalMs: options.intervalMs, maxIntervalMs: Math.max(options.intervalMs, 30_000), onError: options.onError },
  );
}
