import { describe, expect, it, vi } from 'vitest';
import type { SiteRecord } from './ports.ts';
import { SiteDirectory } from './site-directory.ts';

const demo: SiteRecord = { id: 's1', key: 'demo', name: 'Demo', allowedOrigins: ['https://a.example'], locale: 'ru' };

describe('the site directory', () => {
  it('answers a known site from memory until its entry expires, and never caches an unknown key', async () => {
    let now = 0;
    const lookups: string[] = [];
    let current = demo;
    const sites = new SiteDirectory({
      store: { findSiteByKey: async (key) => (lookups.push(key), key === 'demo' ? current : null), findSiteById: async () => null },
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
    const sites = new SiteDirectory({ store: { findSiteByKey: async () => (lookups++, demo), findSiteById: async () => null }, clock: { now: () => new Date(0) } });
    const found = await Promise.all(Array.from({ length: 50 }, () => sites.byKey('demo')));
    expect(found.every((s) => s === demo)).toBe(true);
    expect(lookups).toBe(1);
  });

  it('answers by id from the same memory once the site was read, and sees a change the process made', async () => {
    const reads: string[] = [];
    let current = demo;
    const sites = new SiteDirectory({
      store: { findSiteByKey: async (key) => (reads.push(`key:${key}`), key === current.key ? current : null), findSiteById: async (id) => (reads.push(`id:${id}`), id === current.id ? current : null) },
      clock: { now: () => new Date(0) },
    });
    expect(await sites.byId('s1')).toEqual(demo);
    expect(await sites.byId('s1')).toEqual(demo);
    expect(await sites.byKey('demo')).toEqual(demo);
    expect(await sites.byId('gone')).toBeNull();
    expect(reads).toEqual(['id:s1', 'id:gone']);

    current = { ...demo, name: 'Renamed' };
    await sites.forget('demo');
    expect((await sites.byId('s1'))?.name).toBe('Renamed');
    expect(reads).toEqual(['id:s1', 'id:gone', 'key:demo']);
  });
});

describe('two processes sharing a version cache', () => {
  it('sees a change made by the other process at its next version check, long before the entry expires', async () => {
    const shared = new Map<string, string>();
    const versions = { get: async (k: string) => shared.get(k) ?? null, set: async (k: string, v: string) => void shared.set(k, v), delete: async (k: string) => void shared.delete(k) };
    let now = 0;
    let current = demo;
    const reads: string[] = [];
    const directory = (name: string) =>
      new SiteDirectory({ store: { findSiteByKey: async () => (reads.push(name), current), findSiteById: async () => null }, clock: { now: () => new Date(now) }, versions, ttlMs: 60_000 });
    const here = directory('here');
    const there = directory('there');
    await there.byKey('demo');
    await here.byKey('demo');

    current = { ...demo, allowedOrigins: ['https://b.example'] };
    await here.forget('demo');
    expect((await here.byKey('demo'))?.allowedOrigins).toEqual(['https://b.example']);

    // Within the second: still the entry it has (no read per lookup).
    expect((await there.byKey('demo'))?.allowedOrigins).toEqual(['https://a.example']);
    now = 1000;
    await there.byKey('demo'); // starts the background version check
    await vi.waitFor(async () => expect((await there.byKey('demo'))?.allowedOrigins).toEqual(['https://b.example']));
    expect(reads.filter((r) => r === 'there')).toHaveLength(2);
  });

  it('keeps its entries when the version cache cannot be read', async () => {
    let now = 0;
    let reads = 0;
    const versions = { get: async () => Promise.reject(new Error('down')), set: async () => undefined, delete: async () => undefined };
    const sites = new SiteDirectory({ store: { findSiteByKey: async () => (reads++, demo), findSiteById: async () => null }, clock: { now: () => new Date(now) }, versions, ttlMs: 60_000 });
    await sites.byKey('demo');
    now = 5000;
    await sites.byKey('demo');
    await sites.byKey('demo');
    expect(reads).toBe(1);
  });
});
