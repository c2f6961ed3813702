/** `POST /api/operators/login` → `{token, operator}`; rate-limited per IP and per email. */
import Router from '@koa/router';
import { z } from 'zod';
import type { OperatorAuth } from '../../services/operator-auth.ts';
import type { RateLimiter } from '../../services/ports.ts';
import { HttpError } from '../errors.ts';

const credentials = z.object({ email: z.string().trim().toLowerCase().email().max(200), password: z.string().min(1).max(200) });

export function operatorLoginRoutes(auth: OperatorAuth, limiter: RateLimiter): Router {
  const router = new Router();
  router.post('/api/operators/login', async (ctx) => {
    const parsed = credentials.safeParse(ctx.request.body ?? {});
    if (!parsed.success) throw new HttpError(422, 'validation_error', 'email and password are required');
    const { email, password } = parsed.data;
    const allowed = (await limiter.hit(`login:ip:${ctx.ip}`, 20, 300)) && (await limiter.hit(`login:email:${email}`, 10, 300));
    if (!allowed) throw new HttpError(429, 'rate_limited', 'Too many login attempts, try again in a few minutes');
    const session = await auth.login(email, password);
    if (!session) throw new HttpError(401, 'invalid_credentials', 'Wrong email or password');
    ctx.body = session;
  });
  return router;
}
