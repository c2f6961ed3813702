/** Health endpoints in the seeds' shapes (001: /health, /api/health/db). */
import Router from '@koa/router';
import type { AppDeps } from '../app.ts';

/** A cut-off database must turn /health red within seconds (503 within 5 s), not after pg's own waits. */
const DB_PING_TIMEOUT_MS = 3_000;

function pingDatabase(deps: AppDeps): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`database ping took over ${DB_PING_TIMEOUT_MS} ms`)), DB_PING_TIMEOUT_MS);
    deps.store.ping().then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

export function healthRoutes(deps: AppDeps): Router {
  const router = new Router();

  router.get('/health', async (ctx) => {
    const database = await pingDatabase(deps).then(
      () => 'ok' as const,
      () => 'error' as const,
    );
    const redis = deps.redisPing ? await deps.redisPing().then(() => 'ok', () => 'error') : 'unavailable';
    ctx.status = database === 'ok' ? 200 : 503;
    ctx.body = { status: database === 'ok' ? 'ok' : 'error', database, redis };
  });

  router.get('/api/health/db', async (ctx) => {
    try {
      await pingDatabase(deps);
      ctx.body = { status: 'ok', database: 'connected' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'error', database: 'disconnected' };
    }
  });

  return router;
}
