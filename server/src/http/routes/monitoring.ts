/** Counts for dashboards: conversations, messages, messages per category, cache, incidents. */
import Router from '@koa/router';
import type { AppDeps } from '../app.ts';

export function monitoringRoutes(deps: AppDeps): Router {
  const router = new Router();

  router.get('/api/monitoring/stats', async (ctx) => {
    const [stats, openIncidents] = await Promise.all([deps.store.stats(), deps.store.incidents('OPEN')]);
    ctx.body = {
      ...stats,
      classification_cache: deps.classifierStats(),
      operators_online: deps.operatorsOnline(),
      open_incidents: openIncidents,
    };
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.contentType;
    ctx.body = await deps.metrics.metrics();
  });

  return router;
}
