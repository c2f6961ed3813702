/**
 * The embedded database (PGlite, synchronous WebAssembly) works in its own thread: while it runs
 * a long query, this thread's timers — and so socket reads and pings — are still served. (With
 * PGlite on this thread, the timers wait until the query is over.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/adapters/db/database.ts';

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ dataDir: '', inMemory: true });
  // Prisma's first query also sets Prisma up; the test is about the database's own work.
  await db.prisma.$queryRaw`SELECT 1`;
});
afterAll(() => db?.close());

it('fires 10 ms timers, one after another, while a heavy query of the embedded database runs', async () => {
  const events: string[] = [];
  const query = db.prisma.$queryRaw<{ total: bigint }[]>`SELECT sum(i)::bigint AS total FROM generate_series(1, 5000000) AS i`.then((rows) => {
    events.push('query finished');
    return rows[0]!.total;
  });
  // Each timer is armed only once the one before has fired: ten in a row mean the loop kept turning.
  let timers: Promise<unknown> = Promise.resolve();
  for (let i = 0; i < 10; i++) timers = timers.then(() => new Promise((resolve) => setTimeout(resolve, 10)).then(() => events.push('timer fired')));

  expect(await query).toBe(12_500_002_500_000n);
  await timers;
  expect(events).toEqual([...Array<string>(10).fill('timer fired'), 'query finished']);
});
