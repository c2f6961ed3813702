/**
 * The embedded default's cache and outage window: in-process, bounded.
 * Correct for one server process; with several processes configure REDIS_URL.
 */
import { recordReport, type OutageOptions, type OutageWindow } from '../../domain/outage/outage-window.ts';
import type { Clock, KeyValueCache, OutageReports } from '../../services/ports.ts';


/** LRU with per-entry expiry; a Map keeps insertion order, so the first key is the oldest. */
export class MemoryCache implements KeyValueCache {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = 10_000,
  ) {}

  async get(key: string): Promise<string | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    this.entries.delete(key);
    if (entry.expiresAt <= this.clock.now().getTime()) return null;
    this.entries.set(key, entry); // most recently used goes last
    return entry.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.clock.now().getTime() + ttlSeconds * 1000 });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}

export class MemoryOutageReports implements OutageReports {
  private readonly bySite = new Map<string, OutageWindow>();

  constructor(private readonly options: OutageOptions) {}

  async record(siteId: string, visitorId: string, at: Date): Promise<string[]> {
    const next = recordReport(this.bySite.get(siteId) ?? new Map(), visitorId, at.getTime(), this.options);
    this.bySite.set(siteId, next);
    return [...next.keys()];
  }

  async clear(siteId: string): Promise<void> {
    this.bySite.delete(siteId);
  }
}
