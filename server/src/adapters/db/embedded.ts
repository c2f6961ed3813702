/**
 * Opens the embedded PGlite: locks DATA_DIR, starts PGlite in its worker thread (or this one), a
 * new database from the migrated template when there is one (pglite-template.ts). Kept apart from
 * database.ts and light to load: the process entry (main.ts) starts it before it loads the rest
 * of the server, so that PGlite opens on the worker's core while this one loads modules.
 */
import { PGlite } from '@electric-sql/pglite';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { lockDataDir } from './data-dir-lock.ts';
import { PGliteInWorker } from './pglite-in-worker.ts';
import { currentTemplate } from './pglite-template.ts';

export interface EmbeddedOptions {
  dataDir: string;
  /** PGlite in memory instead of DATA_DIR (tests). */
  inMemory?: boolean;
  /** Where PGlite runs: its own worker thread (default), or this one (benchmarks compare). */
  thread?: 'worker' | 'main';
}

export interface EmbeddedDatabase {
  pglite: PGlite;
  /** Closes PGlite cleanly (or its data directory may be damaged), then frees DATA_DIR. */
  close(): Promise<void>;
}

export async function openEmbedded(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  let dir: string | undefined;
  let unlock: (() => Promise<void>) | null = null;
  if (!options.inMemory) {
    dir = path.resolve(options.dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
    // Before PGlite touches the files: a second process opening them would damage them.
    unlock = await lockDataDir(path.resolve(options.dataDir));
  }
  try {
    const fresh = dir === undefined || !existsSync(path.join(dir, 'PG_VERSION'));
    const template = fresh ? await currentTemplate() : null;
    const pglite = await openPGlite(dir, template ?? undefined, options.thread ?? 'worker');
    return {
      pglite,
      close: async () => {
        try {
          await pglite.close();
        } finally {
          await unlock?.();
        }
      },
    };
  } catch (error) {
    await unlock?.();
    throw error;
  }
}

/**
 * PGlite in a worker thread, so that its synchronous WebAssembly work never holds up timers and
 * sockets. The proxy is handed to the adapter and the migrations as a PGlite: they call only
 * `query`, `exec`, `transaction` and `close` (pglite-prisma-adapter 0.7.2, migrate.ts), which it has.
 */
async function openPGlite(dir: string | undefined, template: string | undefined, thread: 'worker' | 'main'): Promise<PGlite> {
  if (thread === 'worker') return (await PGliteInWorker.start(dir, template)) as unknown as PGlite;
  const { readFile } = await import('node:fs/promises');
  const pglite = new PGlite({ dataDir: dir, ...(template ? { loadDataDir: new Blob([await readFile(template)]) } : {}) });
  await pglite.waitReady;
  return pglite;
}
