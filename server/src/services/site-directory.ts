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

  constructor(private readonly deps: { store: Pick<ChatStore, 'findSiteByKey'>; clock: Clock; ttlMs?: number; maxEntries?: number }) {}

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
    if (site) {
      if (this.cache.size >= (this.deps.maxEntries ?? 10_000)) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, { site, until: now + (this.deps.ttlMs ?? 30_000) });
    }
    return site;
  }
}
