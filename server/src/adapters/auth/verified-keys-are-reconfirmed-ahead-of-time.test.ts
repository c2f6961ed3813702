/**
 * A busy REST caller never waits for its key's re-check: past half the re-check age the key is
 * re-read in the background while the request is answered from the cache; only a key whose
 * confirmation is older than the full age makes the request wait (a revoked key is refused then).
 */
import { expect, it } from 'vitest';
import { VerifiedKeyCache, type VerifiedKey } from './verified-key-cache.ts';

function setUp() {
  let now = 0;
  const reads: Array<{ ids: string[]; answer(active: VerifiedKey[]): void }> = [];
  const cache = new VerifiedKeyCache({
    clock: { now: () => new Date(now) },
    recheckMs: 1000,
    stillActive: (ids) => new Promise((resolve) => reads.push({ ids, answer: resolve })),
  });
  cache.add('hash-a', { keyId: 'a', siteKey: 'demo' }, 0);
  return { cache, reads, at: (ms: number) => void (now = ms) };
}

it('answers from the cache at once while a key past half its age is re-read', async () => {
  const { cache, reads, at } = setUp();
  at(400);
  await expect(cache.get('hash-a')).resolves.toEqual({ keyId: 'a', siteKey: 'demo' });
  expect(reads).toHaveLength(0);

  at(600);
  await expect(cache.get('hash-a')).resolves.toEqual({ keyId: 'a', siteKey: 'demo' });
  await expect(cache.get('hash-a')).resolves.toEqual({ keyId: 'a', siteKey: 'demo' });
  expect(reads.map((r) => r.ids)).toEqual([['a']]); // one re-read, shared

  reads[0]!.answer([{ keyId: 'a', siteKey: 'demo' }]);
  await new Promise((resolve) => setImmediate(resolve));
  at(1000); // confirmed at 600 (when that read started): fresh again, nothing more to read
  await expect(cache.get('hash-a')).resolves.toEqual({ keyId: 'a', siteKey: 'demo' });
  expect(reads).toHaveLength(1);
});

it('makes a request wait for the re-read once the confirmation is older than the re-check age, and refuses a revoked key', async () => {
  const { cache, reads, at } = setUp();
  at(1000);
  let answered: VerifiedKey | null | undefined;
  const pending = cache.get('hash-a').then((key) => (answered = key));
  await new Promise((resolve) => setImmediate(resolve));
  expect(answered).toBeUndefined();
  expect(reads).toHaveLength(1);

  reads[0]!.answer([]); // revoked meanwhile
  await pending;
  expect(answered).toBeNull();
});
