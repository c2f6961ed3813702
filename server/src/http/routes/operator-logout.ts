/**
 * `POST /api/operators/logout` with `Authorization: Bearer <token>` → 204. Raises the operator's
 * token version, so this token and every other one issued to the operator stop working, and
 * their open console sockets are disconnected by the next session re-check.
 */
import Router from '@koa/router';
import type { OperatorAuth } from '../../services/operator-auth.ts';
import { HttpError } from '../errors.ts';

export function operatorLogoutRoutes(auth: Pick<OperatorAuth, 'logout'>): Router {
  const router = new Router();
  router.post('/api/operators/logout', async (ctx) => {
    const [scheme, token] = ctx.get('authorization').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token || token.length > 4096 || !(await auth.logout(token))) {
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new HttpError(401, 'unauthorized', 'Session expired or invalid, log in again');
    }
    ctx.status = 204;
  });
  return router;
}
