import { describe, expect, it } from 'vitest';
import type { SiteRecord } from './ports.ts';
import { SiteDirectory } from './site-directory.ts';

const demo: SiteRecord = { id: 's1', key: 'demo', name: 'Demo', allowedOrigins: ['https://a.example'], locale: 'ru' };

describe('the site directory', () => {
  it('answers a known site from memory until its entry expires, and never caches an unknown key', async () => {
    let now = 0;
    const lookups: string[] = [];
    let current = demo;
    const sites = new SiteDirectory({
      store: { findSiteByKey: async (key) => (lookups.push(key), key === 'demo' ? current : null) },
      clock: { now: () => new Date(now) },
      ttlMs: 1000,
    });
    expect(await sites.byKey('demo')).toEqual(demo);
    expect(await sites.byKey('demo')).toEqual(demo);
    expect(await sites.byKey('nope')).toBeNull();
    expect(await sites.byKey('nope')).toBeNull();
    expect(lookups).toEqual(['demo', 'nope', 'nope']);

    current = { ...demo, allowedOrigins: ['https://b.example'] };
    now = 1001;
    expect((await sites.byKey('demo'))?.allowedOrigins).toEqual(['https://b.example']);
    expect(lookups).toEqual(['demo', 'nope', 'nope', 'demo']);
  });

  it('answers a burst of lookups of one key with one read', async () => {
    let lookups = 0;
    const sites = new SiteDirectory({ store: { findSiteByKey: async () => (lookups++, demo) }, clock: { now: () => new Date(0) } });
    const found = await Promise.all(Array.from({ length: 50 }, () => sites.byKey('demo')));
    expect(found.every((s) => s === demo)).toBe(true);
    expect(lookups).toBe(1);
  });
});
