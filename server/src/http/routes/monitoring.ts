/** Counts for dashboards: conversations, messages, messages per category, cache, incidents — behind metricsAccess. */
import Router from '@koa/router';
import type { AppDeps } from '../app.ts';
import { metricsAccess } from '../metrics-access.ts';

export function monitoringRoutes(deps: AppDeps): Router {
  const router = new Router();
  const guard = metricsAccess({ token: deps.config.METRICS_TOKEN, production: deps.config.NODE_ENV === 'production' });

  router.get('/api/monitoring/stats', guard, async (ctx) => {
    const [stats, openIncidents] = await Promise.all([deps.store.stats(), deps.store.incidents('OPEN')]);
    ctx.body = {
      ...stats,
      classification_cache: deps.classifierStats(),
      operators_online: deps.operatorsOnline(),
      open_incidents: openIncidents,
    };
  });

  router.get('/metrics', guard, async (ctx) => {
    ctx.type = deps.metrics.contentType;
    ctx.body = await deps.metrics.metrics();
  });

  return router;
}
