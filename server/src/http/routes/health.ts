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

/** Redis answers in a millisecond; one that does not within this is as good as down. */
const REDIS_PING_TIMEOUT_MS = 1_000;

/** `redis` is `unavailable` when it is not configured (status ok) or does not answer (status degraded: the server works without it). */
function pingRedis(ping: () => Promise<unknown>): Promise<'ok' | 'unavailable'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('unavailable'), REDIS_PING_TIMEOUT_MS);
    ping()
      .then(() => resolve('ok'), () => resolve('unavailable'))
      .finally(() => clearTimeout(timer));
  });
}

export function healthRoutes(deps: AppDeps): Router {
  const router = new Router();

  router.get('/health', async (ctx) => {
    const [database, redis] = await Promise.all([
      pingDatabase(deps).then(
        () => 'ok' as const,
        () => 'error' as const,
      ),
      deps.redisPing ? pingRedis(deps.redisPing) : ('unavailable' as const),
    ]);
    ctx.status = database === 'ok' ? 200 : 503;
    const status = database !== 'ok' ? 'error' : deps.redisPing && redis !== 'ok' ? 'degraded' : 'ok';
    ctx.body = { status, database, redis };
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
