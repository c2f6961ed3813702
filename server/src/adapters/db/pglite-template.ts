/**
 * A new embedded database starts as a copy of an empty, migrated one. Making it the long way
 * (PGlite's initdb, then every migration) costs ~10 s of CPU on this 2-core machine; unpacking the
 * copy ~1.5 s. It matters for a first `pnpm start` (fresh DATA_DIR) and for every in-memory
 * database the tests open.
 *
 * The copy is a tarball of PGlite's data directory (its own dump format), made by the build
 * (`pnpm build:server` runs cli/pglite-template.ts) and by the test run's set-up. Its name carries
 * a key of the PGlite version and the migrations' contents, so a copy made before a migration was
 * added or edited, or before PGlite was upgraded, is never used: the database is then made the
 * long way. Migrations are still checked at every start, as for any other database.
 *
 * Beside the tarball the build unpacks it once into a directory of the same name (without
 * `.tar.gz`): a new DATA_DIR is a copy of that directory (~0.3 s), where unpacking the tarball
 * into it at start (gunzip, then every file written through PGlite) cost the worker ~2 s of CPU.
 * In-memory databases (tests) still load the tarball.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PATHS } from './migration-paths.ts';

export const TEMPLATE_DIR = fileURLToPath(new URL('../../../data/', import.meta.url));
const PREFIX = 'pglite-template.';

/** The PGlite version and every migration's name and SQL. */
async function templateKey(migrationsDir: string): Promise<string> {
  const hash = createHash('sha256');
  // Its `exports` hide package.json; the entry it resolves to is dist/index.cjs.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  hash.update(await readFile(path.join(path.dirname(entry), '..', 'package.json')));
  const names = (await readdir(migrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  for (const name of names) hash.update(`\0${name}\0`).update(await readFile(path.join(migrationsDir, name, 'migration.sql')));
  return hash.digest('hex').slice(0, 16);
}

/** Where the copy for today's migrations and PGlite is (or would be). */
export async function templateFile(migrationsDir = DEFAULT_PATHS.migrationsDir, dir = TEMPLATE_DIR): Promise<string> {
  return path.join(dir, `${PREFIX}${await templateKey(migrationsDir)}.tar.gz`);
}

/** The copy for today's migrations and PGlite, or null when there is none. */
export async function currentTemplate(migrationsDir = DEFAULT_PATHS.migrationsDir, dir = TEMPLATE_DIR): Promise<string | null> {
  const file = await templateFile(migrationsDir, dir);
  return existsSync(file) ? file : null;
}

/** The tarball's unpacked directory (a PGlite data directory). */
export function unpackedTemplate(file: string): string {
  return file.replace(/\.tar\.gz$/, '');
}

/** The unpacked copy for today's migrations and PGlite, or null when there is none. */
export async function currentTemplateDir(migrationsDir = DEFAULT_PATHS.migrationsDir, dir = TEMPLATE_DIR): Promise<string | null> {
  const unpacked = unpackedTemplate(await templateFile(migrationsDir, dir));
  return existsSync(path.join(unpacked, 'PG_VERSION')) ? unpacked : null;
}

/**
 * Makes `dataDir` (empty) a copy of the unpacked template: copied beside it, then renamed into
 * place, so that a start cut short never leaves a half-copied database that looks whole.
 */
export function copyTemplateDir(templateDir: string, dataDir: string): void {
  const partial = `${dataDir}.copying-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(templateDir, partial, { recursive: true });
  renameSync(partial, dataDir);
}

/** Older copies (tarballs and their unpacked directories), which no start uses any more. */
export async function staleTemplates(current: string, dir = TEMPLATE_DIR): Promise<string[]> {
  const names = await readdir(dir).catch(() => []);
  const keep = new Set([current, unpackedTemplate(current)]);
  return names.filter((name) => name.startsWith(PREFIX) && !name.includes('.tmp')).map((name) => path.join(dir, name)).filter((file) => !keep.has(file));
}
