/**
 * A site's admins connect its Telegram bot from the console: set or remove the token (sealed
 * before it is stored, never shown again), switch the channel on and off. Telegram is asked
 * (`getMe`) whether a new token is a bot's before it is kept. The bots are re-read at once, so
 * the webhook is registered or polling starts without waiting for the periodic refresh.
 */
import type { OperatorProfile, TelegramSettingsDto, TelegramUpdateInput } from '@support-chat/protocol';
import { OperatorError } from './operator-errors.ts';
import type { TelegramApi, TelegramStore } from './ports.ts';
import type { SiteAccess } from './site-access.ts';
import type { TelegramBots } from './telegram-bots.ts';
import { TelegramApiError } from './telegram-outbox.ts';

type Caller = Pick<OperatorProfile, 'id'>;

export class TelegramAdmin {
  constructor(
    private readonly deps: {
      store: TelegramStore;
      access: SiteAccess;
      api: TelegramApi;
      bots: Pick<TelegramBots, 'refresh'>;
      seal: (token: string) => string;
      mode: 'webhook' | 'polling';
      /** The site whose bot comes from TELEGRAM_BOT_TOKEN (and TELEGRAM_ENABLED), if any. */
      envBot: { siteKey: string; enabled: boolean } | null;
    },
  ) {}

  async get(siteKey: string | undefined, operator: Caller): Promise<TelegramSettingsDto> {
    const { site } = await this.deps.access.site(operator, siteKey, 'admin', "Only the site's admins manage its Telegram bot");
    return this.describe(site.id, site.key);
  }

  async update(input: TelegramUpdateInput, operator: Caller): Promise<TelegramSettingsDto> {
    const { site } = await this.deps.access.site(operator, input.siteKey, 'admin', "Only the site's admins manage its Telegram bot");
    if (site.key === this.deps.envBot?.siteKey) throw new OperatorError('forbidden', "This site's bot is set by the server's TELEGRAM_BOT_TOKEN");
    if (input.botToken) await this.checkToken(input.botToken);
    await this.deps.store.configure(site.id, {
      ...(input.botToken === undefined ? {} : { sealedToken: input.botToken === null ? null : this.deps.seal(input.botToken) }),
      ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
    });
    await this.deps.bots.refresh().catch(() => undefined); // the periodic refresh retries a failure
    return this.describe(site.id, site.key);
  }

  private async checkToken(token: string): Promise<void> {
    try {
      await this.deps.api.call(token, 'getMe');
    } catch (error) {
      if (error instanceof TelegramApiError && (error.status === 401 || error.status === 404)) throw new OperatorError('validation_error', 'Telegram does not know this token: copy it again from @BotFather');
      throw new OperatorError('unavailable', 'Telegram could not be reached to check the token; try again');
    }
  }

  private async describe(siteId: string, siteKey: string): Promise<TelegramSettingsDto> {
    const env = this.deps.envBot?.siteKey === siteKey ? this.deps.envBot : null;
    const fromEnvironment = env !== null;
    const stored = env ? { configured: true, enabled: env.enabled } : await this.deps.store.settings(siteId);
    return { ...stored, mode: this.deps.mode, fromEnvironment };
  }
}
