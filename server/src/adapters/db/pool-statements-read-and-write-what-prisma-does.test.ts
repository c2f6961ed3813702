/**
 * The store's statements sent straight to the driver (statements.ts) — node-postgres, or the
 * embedded PGlite in its worker — see the rows exactly as Prisma does: above all timestamps,
 * which Prisma keeps in UTC and the drivers would otherwise read and write in the server's local
 * zone. They fail with an error `isUniqueViolation` recognises. Run in a zone far from UTC so
 * that a local-time slip cannot hide.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../generated/prisma/client.ts';
import { openDatabase, type Database } from './database.ts';
import { createTestDatabase } from './migrate.ts';
import { isUniqueViolation } from './prisma-store.ts';

describe.each(['postgres', 'embedded'] as const)('statements on %s', (kind) => {
let database: Database;
let dropDatabase: (() => Promise<void>) | undefined;
const zone = process.env.TZ;

beforeAll(async () => {
  process.env.TZ = 'Asia/Tokyo';
  if (kind === 'postgres') {
    const created = await createTestDatabase();
    dropDatabase = created.drop;
    database = await openDatabase({ url: created.url, dataDir: '' });
  } else {
    database = await openDatabase({ dataDir: '', inMemory: true });
  }
}, 60_000);

afterAll(async () => {
  await database?.close();
  await dropDatabase?.();
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

it('reads a timestamp Prisma wrote as the same instant, and Prisma reads one it wrote likewise', async () => {
  const at = new Date('2026-03-29T01:30:00.123Z'); // near a daylight-saving change in many zones
  const site = await database.prisma.site.create({ data: { key: 'tz-read', name: 'TZ', createdAt: at } });
  const [row] = await database.statements.rows<{ createdAt: Date; asJson: { createdAt: string } }>(
    Prisma.sql`SELECT "createdAt", row_to_json(s) AS "asJson" FROM "Site" s WHERE "id" = ${site.id}`,
  );
  expect(row!.createdAt).toBeInstanceOf(Date);
  expect(row!.createdAt.toISOString()).toBe(at.toISOString());

  const written = new Date('2026-11-01T23:59:59.999Z');
  await database.statements.rows(Prisma.sql`UPDATE "Site" SET "createdAt" = ${written} WHERE "id" = ${site.id}`);
  const reread = await database.prisma.site.findUniqueOrThrow({ where: { id: site.id } });
  expect(reread.createdAt.toISOString()).toBe(written.toISOString());
});

it('passes arrays, booleans, numbers and null as parameters', async () => {
  const [row] = await database.statements.rows<{ n: number; b: boolean; hit: boolean; none: string | null }>(
    Prisma.sql`SELECT ${41}::int + 1 AS "n", ${true} AND true AS "b", 'x' = ANY(${['w', 'x']}) AS "hit", ${null}::text AS "none"`,
  );
  expect(row).toEqual({ n: 42, b: true, hit: true, none: null });
});

it('fails a duplicate with an error isUniqueViolation recognises', async () => {
  await database.prisma.site.create({ data: { key: 'tz-dup', name: 'first' } });
  const duplicate = database.statements.rows(
    Prisma.sql`INSERT INTO "Site" ("id", "updatedAt", "key", "name") VALUES (${'dup-' + Date.now()}, now(), ${'tz-dup'}, ${'second'})`,
  );
  const error = await duplicate.then(() => null, (e: unknown) => e);
  expect(error).not.toBeNull();
  expect(isUniqueViolation(error)).toBe(true);
});
});
