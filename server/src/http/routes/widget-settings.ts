/**
 * `GET /api/widget/settings?site=KEY`: what a widget needs before it draws itself — the site's
 * public widget settings, whether it is inside its business hours, how many operators could
 * answer. Every page view of every site asks, so the answer is small and cacheable: browsers and
 * CDNs keep it 30 s, and a strong ETag turns a repeat into a body-less 304. Only the site's own
 * pages may read it (CORS for its allowed origins); an unknown or disabled site is a 404.
 */
import { createHash } from 'node:crypto';
import Router from '@koa/router';
import { LIMITS } from '@support-chat/protocol';
import type { Context } from 'koa';
import { publicWidgetSettings } from '../../domain/sites/public-settings.ts';
import type { Clock, Realtime, SiteRecord } from '../../services/ports.ts';
import { originAllowed } from '../../socket/visitor-namespace.ts';
import { HttpError } from '../errors.ts';

export interface WidgetSettingsDeps {
  sites: { byKey(key: string): Promise<SiteRecord | null> };
  realtime: Pick<Realtime, 'operatorsOnline'>;
  clock: Clock;
}

export const SETTINGS_MAX_AGE_SECONDS = 30;

/** `If-None-Match` lists entity tags (or `*`); comparison is weak, as RFC 9110 asks for GET. */
function matches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => bare(tag) === bare(etag));
}

/** Only the site's pages may read the answer; the global CORS layer's own verdict is replaced. */
function siteCors(ctx: Context, site: SiteRecord | null): void {
  ctx.remove('Access-Control-Allow-Origin');
  ctx.remove('Access-Control-Allow-Credentials');
  ctx.remove('Access-Control-Expose-Headers');
  ctx.vary('Origin');
  const origin = ctx.get('origin');
  if (site && origin && originAllowed(site.allowedOrigins, origin)) {
    ctx.set('Access-Control-Allow-Origin', origin);
    ctx.set('Access-Control-Expose-Headers', 'ETag');
  }
}

export function widgetSettingsRoutes(deps: WidgetSettingsDeps): Router {
  const router = new Router();

  router.get('/api/widget/settings', async (ctx) => {
    const key = ctx.query.site;
    const site = typeof key === 'string' && key.length > 0 && key.length <= LIMITS.siteKeyMaxChars ? await deps.sites.byKey(key) : null;
    const usable = site && site.enabled !== false ? site : null;
    siteCors(ctx, usable);
    // The same answer for "never existed" and "turned off": a page cannot tell which.
    if (!usable) throw new HttpError(404, 'not_found', 'No such site, or its chat is turned off');

    const body = JSON.stringify(publicWidgetSettings(usable, deps.clock.now(), deps.realtime.operatorsOnline(usable.id)));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    ctx.set('Cache-Control', `public, max-age=${SETTINGS_MAX_AGE_SECONDS}`);
    ctx.set('ETag', etag);
    const ifNoneMatch = ctx.get('if-none-match');
    if (ifNoneMatch && matches(ifNoneMatch, etag)) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = body;
  });

  return router;
}
