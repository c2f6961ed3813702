/**
 * `POST /api/operators/login` → `{token, operator}`. Limited per client IP (429 past it); the
 * account's failed attempts slow later ones from unfamiliar addresses (login-slowdown.ts) instead
 * of locking the account, so a guesser cannot lock an operator out.
 */
import Router from '@koa/router';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { RateLimits } from '../../adapters/rate-limit/rate-limits.ts';
import type { OperatorAuth } from '../../services/operator-auth.ts';
import { HttpError } from '../errors.ts';
import { loginDelayMs } from '../login-slowdown.ts';
import { rateLimit } from '../rate-limit.ts';

const credentials = z.object({ email: z.string().trim().toLowerCase().email().max(200), password: z.string().min(1).max(200) });

export interface LoginRouteOptions {
  /** How a slowed-down attempt waits (tests count the waits instead of spending them). */
  wait?: (ms: number) => Promise<unknown>;
}

export function operatorLoginRoutes(
  auth: OperatorAuth,
  limits: Pick<RateLimits, 'loginPerIp' | 'loginFailures' | 'loginKnownIps'>,
  { wait = sleep }: LoginRouteOptions = {},
): Router {
  const router = new Router();
  const perIp = rateLimit({ rules: [{ limit: limits.loginPerIp }], message: 'Too many login attempts, try again in a few minutes' });
  router.post('/api/operators/login', perIp, async (ctx) => {
    const parsed = credentials.safeParse(ctx.request.body ?? {});
    if (!parsed.success) throw new HttpError(422, 'validation_error', 'email and password are required');
    const { email, password } = parsed.data;
    const place = `${email}|${ctx.ip}`;
    if ((await limits.loginKnownIps.get(place)) === null) {
      const failures = (await limits.loginFailures.get(email))?.consumedPoints ?? 0;
      const delay = loginDelayMs(failures);
      if (delay > 0) await wait(delay);
    }
    const session = await auth.login(email, password);
    if (!session) {
      await limits.loginFailures.consume(email);
      throw new HttpError(401, 'invalid_credentials', 'Wrong email or password');
    }
    await limits.loginKnownIps.consume(place);
    ctx.body = session;
  });
  return router;
}
