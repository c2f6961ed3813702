/**
 * Each site's webhook signing key, kept in `Site.webhookSecret`. It is made on first use (the first
 * delivery of a site, or `pnpm webhook:secret`), so sites need no migration step, and it stays
 * readable because every delivery is signed with it.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { WebhookSecrets } from '../../services/ports.ts';
import { newWebhookSecret } from './standard-webhook-signature.ts';

export class SiteWebhookSecrets implements WebhookSecrets {
  constructor(private readonly db: PrismaClient) {}

  async forMessage(messageId: string): Promise<string> {
    const message = await this.db.message.findUniqueOrThrow({
      where: { id: messageId },
      select: { conversation: { select: { site: { select: { id: true, webhookSecret: true } } } } },
    });
    const { site } = message.conversation;
    return site.webhookSecret ?? this.ensure(site.id);
  }

  /** The site's key (made now when it has none), or a new one replacing it when `rotate`. */
  async forSite(siteKey: string, rotate: boolean): Promise<string | null> {
    const site = await this.db.site.findUnique({ where: { key: siteKey }, select: { id: true, webhookSecret: true } });
    if (!site) return null;
    if (rotate) {
      const { webhookSecret } = await this.db.site.update({ where: { id: site.id }, data: { webhookSecret: newWebhookSecret() }, select: { webhookSecret: true } });
      return webhookSecret!;
    }
    return site.webhookSecret ?? this.ensure(site.id);
  }

  /** Two processes making the first key at once agree on one: only a still-empty column is set. */
  private async ensure(siteId: string): Promise<string> {
    await this.db.site.updateMany({ where: { id: siteId, webhookSecret: null }, data: { webhookSecret: newWebhookSecret() } });
    const { webhookSecret } = await this.db.site.findUniqueOrThrow({ where: { id: siteId }, select: { webhookSecret: true } });
    return webhookSecret!;
  }
}
