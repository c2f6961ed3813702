/** Health endpoints in the seeds' shapes (001: /health, /api/health/db). */
import Router from '@koa/router';
import type { AppDeps } from '../app.ts';

export function healthRoutes(deps: AppDeps): Router {
  const router = new Router();

  router.get('/health', async (ctx) => {
    const database = await deps.store.ping().then(
      () => 'ok' as const,
      () => 'error' as const,
    );
    const redis = deps.redisPing ? await deps.redisPing().then(() => 'ok', () => 'error') : 'unavailable';
    ctx.status = database === 'ok' ? 200 : 503;
    ctx.body = { status: database === 'ok' ? 'ok' : 'error', database, redis };
  });

  router.get('/api/health/db', async (ctx) => {
    try {
      await deps.store.ping();
      ctx.body = { status: 'ok', database: 'connected' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'error', database: 'disconnected' };
    }
  });

  return router;
}
