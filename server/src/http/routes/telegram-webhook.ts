/**
 * `POST /api/integrations/telegram/webhook/<site key>` (the bare path is the demo site's, as in
 * the seeds): where Telegram delivers a webhook-mode bot's updates. A request without the site's
 * `X-Telegram-Bot-Api-Secret-Token` is refused (401) and logged; an update we cannot read is
 * answered 200 and dropped with a log line (Telegram would re-send it forever otherwise). The
 * answer comes once the update is stored, so a 5xx (database away) makes Telegram re-send it.
 */
import Router from '@koa/router';
import { LIMITS } from '@support-chat/protocol';
import type { Logger } from 'pino';
import type { SiteRecord } from '../../services/ports.ts';
import { TELEGRAM_WEBHOOK_PATH, type TelegramBots } from '../../services/telegram-bots.ts';
import type { TelegramChannel } from '../../services/telegram-channel.ts';
import { HttpError } from '../errors.ts';

export interface TelegramWebhookDeps {
  sites: { byKey(key: string): Promise<SiteRecord | null> };
  bots: Pick<TelegramBots, 'checkSecret' | 'isOn'>;
  channel: Pick<TelegramChannel, 'handle'>;
  demoSiteKey: string;
  logger: Logger;
}

export function telegramWebhookRoutes(deps: TelegramWebhookDeps): Router {
  const router = new Router();
  router.post([TELEGRAM_WEBHOOK_PATH, `${TELEGRAM_WEBHOOK_PATH}/:siteKey`], async (ctx) => {
    const siteKey = ctx.params.siteKey ?? deps.demoSiteKey;
    const site = siteKey.length <= LIMITS.siteKeyMaxChars ? await deps.sites.byKey(siteKey) : null;
    if (!site || site.enabled === false || !(await deps.bots.isOn(site.id))) throw new HttpError(404, 'not_found', 'No Telegram bot here');
    if (!deps.bots.checkSecret(site, ctx.get('x-telegram-bot-api-secret-token') || undefined)) {
      deps.logger.warn({ site: site.key, ip: ctx.ip }, 'telegram webhook: wrong or missing X-Telegram-Bot-Api-Secret-Token; refused');
      throw new HttpError(401, 'unauthorized', 'Wrong secret token');
    }
    await deps.channel.handle(site, ctx.request.body);
    ctx.body = { ok: true };
  });
  return router;
}
