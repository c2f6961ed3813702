/**
 * Who a REST call speaks for: the site of its `Authorization: Bearer sk_…` key. `X-Site-Key`,
 * when sent as well, must name that same site. Outside production the demo site also takes
 * keyless calls, but only from this machine (so the README's curl examples work locally): a
 * client behind a trusted proxy is judged by its forwarded address, which is not loopback.
 */
import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { ApiKeys, SiteRecord } from '../services/ports.ts';
import type { SiteDirectory } from '../services/site-directory.ts';
import { HttpError } from './errors.ts';

export interface RestAuthDeps {
  apiKeys: Pick<ApiKeys, 'verify'>;
  sites: Pick<SiteDirectory, 'byKey'>;
  logger: Logger;
  /** Keyless calls to this site are let in from loopback unless `production`. */
  demoSiteKey: string;
  production: boolean;
  now?: () => number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const WARN_EVERY_MS = 60_000;

export function restAuthenticator(deps: RestAuthDeps) {
  const now = deps.now ?? Date.now;
  let warnedAt = -Infinity;

  function unauthorized(ctx: Context, message: string): never {
    ctx.set('WWW-Authenticate', 'Bearer');
    throw new HttpError(401, 'unauthorized', message);
  }

  /** The site the request may act for; throws 401/403/404 otherwise. */
  return async function authenticate(ctx: Context, siteKeyHeader: string | undefined): Promise<SiteRecord> {
    const authorization = ctx.get('authorization');
    if (!authorization) {
      const siteKey = siteKeyHeader ?? deps.demoSiteKey;
      if (deps.production || siteKey !== deps.demoSiteKey || !LOOPBACK.has(ctx.ip)) {
        unauthorized(ctx, 'Send an API key: Authorization: Bearer <key> (pnpm apikey:create)');
      }
      if (now() - warnedAt >= WARN_EVERY_MS) {
        warnedAt = now();
        deps.logger.warn({ site: siteKey }, 'REST call without an API key accepted for the demo site from loopback (development only; production refuses it)');
      }
      return site(siteKey);
    }

    const [scheme, key, ...rest] = authorization.trim().split(/\s+/);
    if (scheme?.toLowerCase() !== 'bearer' || !key || rest.length > 0) unauthorized(ctx, 'Authorization must be "Bearer <key>"');
    const verified = await deps.apiKeys.verify(key);
    if (!verified) unauthorized(ctx, 'The API key is not valid (unknown or revoked)');
    if (siteKeyHeader !== undefined && siteKeyHeader !== verified.siteKey) {
      throw new HttpError(403, 'forbidden', 'X-Site-Key names another site than the API key');
    }
    return site(verified.siteKey);
  };

  async function site(siteKey: string): Promise<SiteRecord> {
    const found = await deps.sites.byKey(siteKey);
    if (!found) throw new HttpError(404, 'unknown_site', `No site with key "${siteKey}"`);
    if (found.enabled === false) throw new HttpError(403, 'site_disabled', `The chat of site "${siteKey}" is turned off (an owner turns it on in the console)`);
    return found;
  }
}
