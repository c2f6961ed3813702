/**
 * PGlite in its worker thread answers as one PGlite on this thread would, for the calls the
 * Prisma adapter makes: a transaction holds the database until it ends, a failed or rolled-back
 * one leaves nothing, errors are PGlite's DatabaseError (the adapter maps their codes), and the
 * caller's parsers (functions, which cannot cross threads) are applied.
 */
import { messages } from '@electric-sql/pglite';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { PGliteInWorker } from './pglite-in-worker.ts';
import { currentTemplate } from './pglite-template.ts';

// From the migrated template when there is one (the test run's set-up makes it): initdb is ~10 s of CPU.
const start = async () => PGliteInWorker.start(undefined, (await currentTemplate()) ?? undefined);

let db: PGliteInWorker;
beforeAll(async () => {
  db = await start();
  await db.exec('CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL)');
});
beforeEach(() => db.exec('DELETE FROM item'));
afterAll(() => db?.close());

const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM item')).rows[0]!.n;

it('makes a query from outside an open transaction wait for its commit', async () => {
  const events: string[] = [];
  let outside: Promise<number> | undefined;
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO item VALUES (1, $1)', ['one']);
    outside = count().then((n) => {
      events.push('outside answered');
      return n;
    });
    await tx.query('INSERT INTO item VALUES (2, $1)', ['two']);
    events.push('transaction body done');
  });
  expect(await outside).toBe(2);
  expect(events).toEqual(['transaction body done', 'outside answered']);
});

it('rolls back when the transaction body throws, and passes the error on', async () => {
  const failure = new Error('changed my mind');
  await expect(
    db.transaction(async (tx) => {
      await tx.query('INSERT INTO item VALUES (1, $1)', ['one']);
      throw failure;
    }),
  ).rejects.toBe(failure);
  expect(await count()).toBe(0);
});

it('keeps nothing of a transaction rolled back by its body (as the adapter does, without awaiting)', async () => {
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO item VALUES (1, $1)', ['one']);
    void tx.rollback();
    expect(tx.closed).toBe(true);
  });
  expect(await count()).toBe(0);
});

it('reports a unique violation as a DatabaseError with its code and detail', async () => {
  await db.query('INSERT INTO item VALUES (1, $1)', ['one']);
  const error = await db.query('INSERT INTO item VALUES (1, $1)', ['again']).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(messages.DatabaseError);
  expect(error).toMatchObject({ code: '23505', severity: 'ERROR', detail: 'Key (id)=(1) already exists.', constraint: 'item_pkey' });
});

it("applies the caller's parsers to the text the worker returns, in array and object rows", async () => {
  await db.query('INSERT INTO item VALUES (1, $1)', ['one']);
  const parsers = { 25: (text: string) => text.toUpperCase() };
  const arrays = await db.query('SELECT id, name, NULL::text AS none FROM item', [], { rowMode: 'array', parsers });
  expect(arrays.rows).toEqual([[1, 'ONE', null]]);
  const objects = await db.query('SELECT id, name FROM item', [], { parsers });
  expect(objects.rows).toEqual([{ id: 1, name: 'ONE' }]);
});

it('rejects calls once closed', async () => {
  const closing = await start();
  await closing.close();
  await expect(closing.query('SELECT 1')).rejects.toThrow(/worker exited/);
});
