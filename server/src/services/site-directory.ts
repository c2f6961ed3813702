/**
 * Sites by key, kept in memory for a short while: every widget handshake and REST call names its
 * site, and a site's settings change rarely — a change (its allowed origins) is seen everywhere
 * within `ttlMs` (at once in the process that made it). Unknown keys are not cached, so made-up keys cannot fill the memory.
 */
import type { ChatStore, Clock, SiteRecord } from './ports.ts';

export class SiteDirectory {
  private readonly cache = new Map<string, { site: SiteRecord; until: number }>();
  /** Lookups under way: the sockets of a page-load burst share one read. */
  private readonly reading = new Map<string, Promise<SiteRecord | null>>();
  /** Keys of the sites seen, by id: a lookup by id is a lookup by key once the site was read. */
  private readonly keys = new Map<string, string>();

  constructor(private readonly deps: { store: Pick<ChatStore, 'findSiteByKey' | 'findSiteById'>; clock: Clock; ttlMs?: number; maxEntries?: number }) {}

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
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.site;
    const pending = this.reading.get(key);
    if (pending) return pending;
    const reading = this.read(key, now).finally(() => this.reading.delete(key));
    this.reading.set(key, reading);
    return reading;
  }

  /** A site changed here (the console): this process reads it again at its next use; others within `ttlMs`. */
  forget(key: string): void {
    this.cache.delete(key);
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
