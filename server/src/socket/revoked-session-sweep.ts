/**
 * Operator sockets outlive their handshake: a token revoked later (logout, a new password) or
 * expired would keep its socket working. Every `intervalMs` the tokens of this process's
 * connected operator sockets are checked again and the sockets of dead ones are disconnected,
 * so a revoked session ends within one interval. The console reconnects, the handshake refuses
 * the token and the operator is sent to the login form.
 */
import { BackgroundLoop } from '../services/background-loop.ts';
import type { OperatorAuth } from '../services/operator-auth.ts';
import type { OperatorNamespace } from './typed-io.ts';

export interface RevokedSessionSweepOptions {
  intervalMs: number;
  onError: (error: unknown, context: string) => void;
}

export function revokedSessionSweep(nsp: OperatorNamespace, auth: Pick<OperatorAuth, 'authenticate'>, options: RevokedSessionSweepOptions): BackgroundLoop {
  return new BackgroundLoop(
    async () => {
      // Several tabs of one operator share a token: each token is checked once per pass.
      const verdicts = new Map<string, Promise<boolean>>();
      for (const socket of nsp.sockets.values()) {
        const { token } = socket.data;
        if (!verdicts.has(token)) verdicts.set(token, auth.authenticate(token).then((operator) => operator !== null));
        // A store failure rejects (the loop reports it and backs off): nobody is disconnected for it.
        if (!(await verdicts.get(token))) socket.disconnect(true);
      }
    },
    // Backing off while the database is away must still stay under the 60 s promise.
    { name: 'operator session re-check', intervalMs: options.intervalMs, maxIntervalMs: Math.max(options.intervalMs, 30_000), onError: options.onError },
  );
}
