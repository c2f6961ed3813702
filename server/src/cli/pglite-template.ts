/**
 * `pnpm build:server` runs this (and the test run's set-up calls it): saves the empty, migrated
 * PGlite data directory that new embedded databases start from (adapters/db/pglite-template.ts),
 * as a tarball and unpacked, unless today's is already there.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { applyMigrations } from '../adapters/db/migrate.ts';
import { staleTemplates, templateFile, unpackedTemplate } from '../adapters/db/pglite-template.ts';

export async function writePGliteTemplate(): Promise<{ file: string; made: boolean }> {
  const file = await templateFile();
  const made = !existsSync(file);
  if (made) {
    const pglite = new PGlite();
    try {
      await applyMigrations({ kind: 'pglite', pglite });
      const dump = await pglite.dumpDataDir('gzip');
      await mkdir(path.dirname(file), { recursive: true });
      // Whole or not at all: a start may look for it while it is written.
      const partial = `${file}.${process.pid}.tmp`;
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, file);
    } finally {
      await pglite.close();
    }
  }
  const unpacked = unpackedTemplate(file);
  if (!existsSync(path.join(unpacked, 'PG_VERSION'))) {
    // What a new DATA_DIR is copied from: the tarball unpacked by PGlite, closed cleanly.
    const partial = `${unpacked}.${process.pid}.tmp`;
    await rm(partial, { recursive: true, force: true });
    const pglite = new PGlite({ dataDir: partial, loadDataDir: new Blob([await readFile(file)]) });
    await pglite.close();
    await rm(unpacked, { recursive: true, force: true });
    await rename(partial, unpacked);
  }
  for (const old of await staleTemplates(file)) await rm(old, { recursive: true, force: true });
  return { file, made };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const { file, made } = await writePGliteTemplate();
  const took = ((performance.now() - started) / 1000).toFixed(1);
  console.log(made ? `made the new-database template in ${took} s → ${path.relative(process.cwd(), file)}` : `the new-database template is up to date (${path.relative(process.cwd(), file)})`);
}
