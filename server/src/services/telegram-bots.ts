/**
 * Runs the sites' Telegram bots. Every few seconds (and at once after a settings change) it reads
 * which bots are on and makes sure each is connected:
 *  - webhook mode (a public https URL): `setWebhook` to `<PUBLIC_URL>/api/integrations/telegram/webhook/<site>`
 *    with the site's secret token and the updates we handle; any process may do it, it is idempotent.
 *  - polling mode (a laptop): exactly one process polls each bot (`getUpdates`), under a lease in
 *    the site's row that it renews at every poll; when it dies another takes over after the lease.
 *    An update is confirmed (the next offset) only once it is stored.
 * It also answers which token and which webhook secret a site has, for the outbox and the route.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { BackgroundLoop } from './background-loop.ts';
import type { Clock, SiteRecord, TelegramApi, TelegramStore } from './ports.ts';
import type { TelegramChannel, TelegramLog } from './telegram-channel.ts';

export const ALLOWED_UPDATES = ['message', 'callback_query'];
export const TELEGRAM_WEBHOOK_PATH = '/api/integrations/telegram/webhook';

export interface TelegramBotsOptions {
  mode: 'webhook' | 'polling';
  publicUrl: string;
  /** Derives each site's webhook secret token. */
  secretKey: string;
  pollTimeoutSeconds: number;
  /** How often the list of bots is read again. */
  refreshMs: number;
  /** The demo site's bot from the environment (TELEGRAM_BOT_TOKEN …): it wins over the console's. */
  envBot: { siteKey: string; token: string; enabled: boolean; webhookSecret: string | null } | null;
}

interface Bot {
  siteId: string;
  siteKey: string;
  token: string;
}

export class TelegramBots {
  private readonly owner = randomUUID();
  private bots = new Map<string, Bot>();
  private readonly registered = new Map<string, string>();
  private readonly pollers = new Map<string, { token: string; abort: AbortController; done: Promise<void> }>();
  private readonly loop: BackgroundLoop;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly deps: {
      store: TelegramStore;
      sites: { byId(id: string): Promise<SiteRecord | null>; byKey(key: string): Promise<SiteRecord | null> };
      open: (sealed: string) => string | null;
      api: TelegramApi;
      channel: () => TelegramChannel;
      clock: Clock;
      log: TelegramLog;
      onError: (error: unknown, context: string) => void;
      options: TelegramBotsOptions;
    },
  ) {
    this.loop = new BackgroundLoop(() => this.refresh(), { name: 'telegram bots', intervalMs: deps.options.refreshMs, maxIntervalMs: deps.options.refreshMs * 2, onError: deps.onError });
  }

  start(): void {
    this.loop.start();
  }

  /** Reads the bots again and connects what changed (also right after a settings change); calls at once share one run. */
  refresh(): Promise<void> {
    this.refreshing ??= this.refreshNow().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async refreshNow(): Promise<void> {
    const { store, open, options, log } = this.deps;
    const next = new Map<string, Bot>();
    for (const record of await store.enabledBots()) {
      if (options.envBot && record.siteKey === options.envBot.siteKey) continue;
      const token = open(record.sealedToken);
      if (!token) {
        log.warn({ site: record.siteKey }, 'telegram: the bot token cannot be decrypted (SECRET_KEY changed?); enter it again in the console');
        continue;
      }
      next.set(record.siteId, { siteId: record.siteId, siteKey: record.siteKey, token });
    }
    if (options.envBot?.enabled) {
      const site = await this.deps.sites.byKey(options.envBot.siteKey);
      if (site) next.set(site.id, { siteId: site.id, siteKey: site.key, token: options.envBot.token });
    }
    this.bots = next;
    if (options.mode === 'webhook') await this.registerWebhooks();
    else await this.poll();
  }

  async tokenFor(siteId: string): Promise<string | null> {
    if (!this.bots.has(siteId)) await this.refresh().catch((error: unknown) => this.deps.onError(error, 'reading telegram bots'));
    return this.bots.get(siteId)?.token ?? null;
  }

  /** The `secret_token` Telegram sends back with each update of the site's bot. */
  webhookSecret(site: Pick<SiteRecord, 'id' | 'key'>): string {
    const env = this.deps.options.envBot;
    if (env?.webhookSecret && site.key === env.siteKey) return env.webhookSecret;
    return createHmac('sha256', this.deps.options.secretKey).update(`telegram-webhook:${site.id}`).digest('base64url');
  }

  /** Whether a webhook request carries the site's secret token (compared in constant time). */
  checkSecret(site: Pick<SiteRecord, 'id' | 'key'>, presented: string | undefined): boolean {
    const expected = Buffer.from(this.webhookSecret(site));
    const given = Buffer.from(presented ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The site's bot is on (its updates are taken). */
  async isOn(siteId: string): Promise<boolean> {
    return (await this.tokenFor(siteId)) !== null;
  }

  private async registerWebhooks(): Promise<void> {
    for (const bot of this.bots.values()) {
      const url = `${this.deps.options.publicUrl}${TELEGRAM_WEBHOOK_PATH}/${encodeURIComponent(bot.siteKey)}`;
      const fingerprint = `${bot.token}|${url}`;
      if (this.registered.get(bot.siteId) === fingerprint) continue;
      await this.deps.api.call(bot.token, 'setWebhook', { url, secret_token: this.webhookSecret({ id: bot.siteId, key: bot.siteKey }), allowed_updates: ALLOWED_UPDATES });
      this.registered.set(bot.siteId, fingerprint);
      this.deps.log.info({ site: bot.siteKey, url }, 'telegram: webhook registered');
    }
  }

  private async poll(): Promise<void> {
    const { store, clock, options } = this.deps;
    for (const [siteId, poller] of this.pollers) {
      if (this.bots.get(siteId)?.token !== poller.token) await this.stopPolling(siteId);
    }
    for (const bot of this.bots.values()) {
      if (this.pollers.has(bot.siteId)) continue;
      const now = clock.now();
      if (!(await store.leasePolling(bot.siteId, this.owner, now, this.pollLease(now)))) continue;
      const abort = new AbortController();
      const done = this.pollLoop(bot, abort.signal).catch((error: unknown) => this.deps.onError(error, 'telegram polling'));
      this.pollers.set(bot.siteId, { token: bot.token, abort, done });
      this.deps.log.info({ site: bot.siteKey }, `telegram: polling (getUpdates, ${options.pollTimeoutSeconds} s long polls)`);
    }
  }

  private pollLease(now: Date): Date {
    return new Date(now.getTime() + (this.deps.options.pollTimeoutSeconds + 15) * 1000);
  }

  private async pollLoop(bot: Bot, signal: AbortSignal): Promise<void> {
    const { api, store, clock, options } = this.deps;
    // getUpdates is refused while a webhook is set.
    await api.call(bot.token, 'deleteWebhook', {}, 0, signal);
    let offset: number | undefined;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const now = clock.now();
        if (!(await store.leasePolling(bot.siteId, this.owner, now, this.pollLease(now)))) break; // another process took over
        const updates = await api.call<Array<{ update_id: number }>>(
          bot.token,
          'getUpdates',
          { offset, timeout: options.pollTimeoutSeconds, allowed_updates: ALLOWED_UPDATES },
          options.pollTimeoutSeconds * 1000,
          signal,
        );
        const site = await this.deps.sites.byId(bot.siteId);
        for (const update of updates) {
          if (site) await this.deps.channel().handle(site, update);
          offset = update.update_id + 1; // confirmed only once handled (stored)
        }
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        if (failures === 1) this.deps.onError(error, 'telegram polling');
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** failures, 10_000)).unref());
      }
    }
    this.pollers.delete(bot.siteId);
  }

  private async stopPolling(siteId: string): Promise<void> {
    const poller = this.pollers.get(siteId);
    if (!poller) return;
    poller.abort.abort();
    await poller.done;
    this.pollers.delete(siteId);
    await this.deps.store.releasePolling(siteId, this.owner).catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.refreshing;
    await Promise.all([...this.pollers.keys()].map((siteId) => this.stopPolling(siteId)));
  }
}
