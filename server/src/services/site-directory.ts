/**
 * Sites by key, kept in memory for a short while: every widget handshake and REST call names its
 * site, and a site's settings change rarely. A change (its allowed origins, turning it off) is seen
 * at once in the process that made it; it bumps a version in the shared cache (Redis when
 * configured), which every process compares at most once a second in the background, so the others
 * see it within about a second without a read per lookup — and within `ttlMs` even if the version
 * write was lost. Unknown keys are not cached, so made-up keys cannot fill the memory.
 */
import { randomUUID } from 'node:crypto';
import type { ChatStore, Clock, KeyValueCache, SiteRecord } from './ports.ts';

const VERSION_KEY = 'sites-version';
const VERSION_CHECK_EVERY_MS = 1000;
/** Outlives any cache entry many times over; a lost version only falls back to `ttlMs`. */
const VERSION_TTL_SECONDS = 7 * 24 * 3600;

export class SiteDirectory {
  private readonly cache = new Map<string, { site: SiteRecord; until: number }>();
  /** Lookups under way: the sockets of a page-load burst share one read. */
  private readonly reading = new Map<string, Promise<SiteRecord | null>>();
  /** Keys of the sites seen, by id: a lookup by id is a lookup by key once the site was read. */
  private readonly keys = new Map<string, string>();

  /** The shared version this cache was last checked against (undefined: not read yet). */
  private version: string | null | undefined;
  private versionCheckedAt = -Infinity;
  private checking = false;

  constructor(
    private readonly deps: {
      store: Pick<ChatStore, 'findSiteByKey' | 'findSiteById'>;
      clock: Clock;
      /** Where processes tell each other that a site changed; without it a change elsewhere waits for `ttlMs`. */
      versions?: KeyValueCache;
      ttlMs?: number;
      maxEntries?: number;
    },
  ) {}

  /** The same, by id (a conversation's site): read by id only the first time this process meets the site. */
  async byId(id: string): Promise<SiteRecord | null> {
    const key = this.keys.get(id);
    if (key !== undefined) return this.byKey(key);
    const site = await this.deps.store.findSiteById(id);
    if (!site) return null;
    this.remember(site, this.deps.clock.now().getTime());
    return site;
  }

  async byKey(key: string): Promise<SiteRecord | null> {
    const now = this.deps.clock.now().getTime();
    this.checkVersion(now);
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.site;
    const pending = this.reading.get(key);
    if (pending) return pending;
    const reading = this.read(key, now).finally(() => this.reading.delete(key));
    this.reading.set(key, reading);
    return reading;
  }

  /** A site changed here (the console): this process reads it again at its next use, the others after their next version check. */
  async forget(key: string): Promise<void> {
    this.cache.delete(key);
    const version = randomUUID();
    this.version = version;
    await this.deps.versions?.set(VERSION_KEY, version, VERSION_TTL_SECONDS);
  }

  /** Off the lookup's path: a lookup never waits for the shared cache, it sees a change from the next one on. */
  private checkVersion(now: number): void {
    const { versions } = this.deps;
    if (!versions || this.checking || now - this.versionCheckedAt < VERSION_CHECK_EVERY_MS) return;
    this.checking = true;
    this.versionCheckedAt = now;
    void versions
      .get(VERSION_KEY)
      .then((version) => {
        if (this.version !== undefined && version !== this.version) this.cache.clear();
        this.version = version;
      })
      .catch(() => undefined) // an unreachable cache leaves the entries to expire by `ttlMs`
      .finally(() => (this.checking = false));
  }

  private async read(key: string, now: number): Promise<SiteRecord | null> {
    const site = await this.deps.store.findSiteByKey(key);
    this.cache.delete(key);
    if (site) this.remember(site, now);
    return site;
  }

  private remember(site: SiteRecord, now: number): void {
    const max = this.deps.maxEntries ?? 10_000;
    if (this.cache.size >= max) this.cache.delete(this.cache.keys().next().value!);
    if (this.keys.size >= max) this.keys.delete(this.keys.keys().next().value!);
    this.cache.set(site.key, { site, until: now + (this.deps.ttlMs ?? 30_000) });
    this.keys.set(site.id, site.key);
  }
}
