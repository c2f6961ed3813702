/**
 * The store's statements on the embedded PGlite are named prepared statements (pglite-prepared.ts),
 * in its worker and on this thread: prepared once, then only bound and executed — through many
 * calls (past the five after which Postgres may switch to a generic plan), after a unique
 * violation (which the message path retries on, so it must arrive with its code and constraint),
 * after a statement that does not parse, and after the name was dropped behind the store's back.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteInWorker } from './pglite-in-worker.ts';
import { PreparedStatements, type PreparedQueries } from './pglite-prepared.ts';
import { currentTemplate } from './pglite-template.ts';
import { isUniqueViolation } from './prisma-store.ts';

interface Open {
  prepared: PreparedQueries;
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

const inWorker = async (): Promise<Open> => PGliteInWorker.start(undefined, (await currentTemplate()) ?? undefined).then((db) => ({ prepared: db, query: db.query.bind(db), exec: db.exec.bind(db), close: () => db.close() }));
const onThisThread = async (): Promise<Open> => {
  const db = await PGlite.create();
  return { prepared: new PreparedStatements(db), query: db.query.bind(db), exec: db.exec.bind(db), close: () => db.close() };
};

const INSERT = `INSERT INTO item (id, name, at, meta) VALUES ($1, $2, $3, $4) RETURNING id, name, at, meta, ARRAY[at] AS ats`;

describe.each([
  ['in its worker', inWorker],
  ['on this thread', onThisThread],
] as const)('prepared statements on PGlite %s', (_, open) => {
  let db: Open;
  beforeAll(async () => {
    db = await open();
    await db.exec('CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL, at timestamp(3) NOT NULL, meta jsonb)');
  }, 60_000);
  afterAll(() => db?.close());

  const preparedCopies = async (sql: string) => (await db.query<{ name: string }>('SELECT name FROM pg_prepared_statements WHERE statement = $1', [sql])).rows;
  const insert = (id: number) => db.prepared.prepared<{ id: number; name: string; at: Date; meta: { n: number }; ats: Date[] }>(INSERT, [id, `item ${id}`, new Date(Date.UTC(2026, 0, 1, 0, 0, id)).toISOString(), { n: id }]);

  it('prepares a text once and answers each of many calls with its own typed rows, also after a unique violation', async () => {
    for (let id = 1; id <= 12; id++) {
      const at = new Date(Date.UTC(2026, 0, 1, 0, 0, id));
      expect(await insert(id)).toEqual([{ id, name: `item ${id}`, at, meta: { n: id }, ats: [at] }]);
    }
    const duplicate = await insert(3).then(() => null, (error: unknown) => error);
    expect(duplicate).toMatchObject({ code: '23505', constraint: 'item_pkey' });
    expect(isUniqueViolation(duplicate)).toBe(true);
    expect((await insert(13))[0]).toMatchObject({ id: 13, name: 'item 13', meta: { n: 13 } });
    expect(await preparedCopies(INSERT)).toEqual([{ name: expect.stringMatching(/^store_\d+$/) }]);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM item')).rows[0]!.n).toBe(13);
  });

  it('reports a statement that does not parse, and runs the next one', async () => {
    await expect(db.prepared.prepared('SELEC 1', [])).rejects.toMatchObject({ code: '42601' });
    expect(await db.prepared.prepared('SELECT $1::int + 1 AS n', [1])).toEqual([{ n: 2 }]);
  });

  it('prepares a text again when its name was dropped behind its back', async () => {
    const sql = 'SELECT name FROM item WHERE id = $1';
    expect(await db.prepared.prepared(sql, [1])).toEqual([{ name: 'item 1' }]);
    await db.exec('DEALLOCATE ALL');
    expect(await db.prepared.prepared(sql, [2])).toEqual([{ name: 'item 2' }]);
    expect(await preparedCopies(sql)).toHaveLength(1);
  });
});
