/**
 * Who may read the counters (`/metrics`, `/api/monitoring/stats`): they tell conversation volumes,
 * operators online and what fails, so not the public. With METRICS_TOKEN set, only a request with
 * `Authorization: Bearer <token>`; without it, anyone in development, and only loopback in
 * production (a scraper on the same host, or a sidecar).
 *
 * @example
 * router.get('/metrics', metricsAccess({ token: config.METRICS_TOKEN, production: true }), handle);
 */
import type { Context, Next } from 'koa';
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { HttpError } from './errors.ts';

export interface MetricsAccessOptions {
  token: string | undefined;
  production: boolean;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** 127.0.0.0/8, ::1 and their IPv4-mapped form, as `ctx.ip` names them (X-Forwarded-For only with TRUST_PROXY). */
export function isLoopback(ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return ip === '::1';
}

export function metricsAccess({ token, production }: MetricsAccessOptions) {
  // Digests have one length, so the comparison takes the same time whatever was sent.
  const expected = token ? digest(token) : null;
  return async function guardMetrics(ctx: Context, next: Next): Promise<void> {
    if (expected) {
      const [scheme, sent] = ctx.get('authorization').split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !sent || !timingSafeEqual(digest(sent), expected)) {
        ctx.set('WWW-Authenticate', 'Bearer');
        throw new HttpError(401, 'unauthorized', 'Send the metrics token as Authorization: Bearer …');
      }
    } else if (production && !isLoopback(ctx.ip)) {
      throw new HttpError(403, 'forbidden', 'Metrics are served to loopback only; set METRICS_TOKEN to read them from elsewhere');
    }
    await next();
  };
}
