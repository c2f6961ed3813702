/** `POST /api/operators/login` → `{token, operator}`; rate-limited per IP and per email. */
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { RateLimits } from '../../adapters/rate-limit/rate-limits.ts';
import type { OperatorAuth } from '../../services/operator-auth.ts';
import { HttpError } from '../errors.ts';
import { rateLimit } from '../rate-limit.ts';

const credentials = z.object({ email: z.string().trim().toLowerCase().email().max(200), password: z.string().min(1).max(200) });

/** Guessing one account's password from many addresses is limited by the email, whatever the IP. */
const emailOf = (ctx: Context): string | null => {
  const parsed = credentials.shape.email.safeParse((ctx.request.body as { email?: unknown } | undefined)?.email);
  return parsed.success ? parsed.data : null;
};

export function operatorLoginRoutes(auth: OperatorAuth, limits: Pick<RateLimits, 'loginPerIp' | 'loginPerEmail'>): Router {
  const router = new Router();
  const limited = rateLimit({
    rules: [{ limit: limits.loginPerIp }, { limit: limits.loginPerEmail, key: emailOf }],
    message: 'Too many login attempts, try again in a few minutes',
  });
  router.post('/api/operators/login', limited, async (ctx) => {
    const parsed = credentials.safeParse(ctx.request.body ?? {});
    if (!parsed.success) throw new HttpError(422, 'validation_error', 'email and password are required');
    const session = await auth.login(parsed.data.email, parsed.data.password);
    if (!session) throw new HttpError(401, 'invalid_credentials', 'Wrong email or password');
    ctx.body = session;
  });
  return router;
}
