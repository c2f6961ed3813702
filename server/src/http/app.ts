/**
 * createApp(deps): the Koa application — middleware order and routes, nothing else.
 * Tests drive it through `app.callback()` without opening a port.
 */
import cors from '@koa/cors';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config.ts';
import type { ChatService } from '../services/chat-service.ts';
import type { ApiKeys, ChatStore } from '../services/ports.ts';
import type { RateLimits } from '../adapters/rate-limit/rate-limits.ts';
import type { WebhookHostPolicy } from '../adapters/webhook/http-webhook-sender.ts';
import { errorMiddleware, HttpError } from './errors.ts';
import { securityHeaders } from './security-headers.ts';
import { healthRoutes } from './routes/health.ts';
import { messageRoutes } from './routes/messages.ts';
import { monitoringRoutes } from './routes/monitoring.ts';
import { staticRoutes } from './routes/static-files.ts';
import type Router from '@koa/router';
import type { SiteDirectory } from '../services/site-directory.ts';

export interface AppDeps {
  config: Pick<Config, 'RATE_LIMIT_ENABLED' | 'TRUST_PROXY' | 'TRUST_PROXY_HOPS' | 'ALLOWED_ORIGINS' | 'PUBLIC_URL' | 'NODE_ENV' | 'METRICS_TOKEN'> & {
    DEFAULT_SITE_KEY: string;
  };
  store: ChatStore;
  sites: SiteDirectory;
  /** REST callers' keys (`POST /api/messages/`). */
  apiKeys: Pick<ApiKeys, 'verify'>;
  chat: ChatService;
  rateLimits: Pick<RateLimits, 'restPerMinute' | 'restPerHour'>;
  webhookPolicy: WebhookHostPolicy;
  redisPing: (() => Promise<unknown>) | null;
  classifierStats: () => unknown;
  operatorsOnline: () => number;
  metrics: Registry;
  logger: Logger;
  paths: { distDir: string; demoDir: string };
  /** Routes added by other parts (operator auth) without createApp knowing them. */
  extraRoutes?: Router[];
}

export const BODY_LIMIT = '1mb';

/**
 * A body that is not what its `Content-Encoding` says (gzip, br, deflate) fails inside zlib with
 * an error that carries no HTTP status, which would be a 500: it is the client's 400. Unknown
 * codings already come as 415 from the parser.
 */
function refuseUndecodableBody(error: Error & { status?: number; errno?: unknown }): never {
  if (error.status === undefined && typeof error.errno === 'number') throw new HttpError(400, 'bad_request', 'The request body does not decode as its Content-Encoding says');
  throw error;
}

export function createApp(deps: AppDeps): Koa {
  // Only a trusted proxy's X-Forwarded-For names the client (rate limits, logs); otherwise anyone could pick their IP.
  const app = new Koa({ proxy: deps.config.TRUST_PROXY, proxyIpHeader: 'X-Forwarded-For', maxIpsCount: deps.config.TRUST_PROXY_HOPS });
  app.silent = true; // errors are logged by errorMiddleware, once

  const allowed = new Set([...deps.config.ALLOWED_ORIGINS, new URL(deps.config.PUBLIC_URL).origin]);
  app.use(securityHeaders);
  app.use(errorMiddleware(deps.logger));
  app.use(cors({ origin: (ctx) => (allowed.has(ctx.get('origin')) ? ctx.get('origin') : ''), allowHeaders: ['Content-Type', 'Authorization', 'X-Platform', 'X-Chat-ID', 'X-Webhook-URL', 'X-Site-Key', 'X-Request-ID'] }));
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: BODY_LIMIT, encoding: 'utf-8', onError: refuseUndecodableBody }));

  const routers = [healthRoutes(deps), monitoringRoutes(deps), messageRoutes(deps), staticRoutes(deps), ...(deps.extraRoutes ?? [])];
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  return app;
}
