/**
 * Opens the embedded PGlite: locks DATA_DIR, starts PGlite in its worker thread (or this one), a
 * new database from the migrated template when there is one (pglite-template.ts). Kept apart from
 * database.ts and light to load: the process entry (main.ts) starts it before it loads the rest
 * of the server, so that PGlite opens on the worker's core while this one loads modules.
 */
import type { PGlite } from '@electric-sql/pglite';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { lockDataDir } from './data-dir-lock.ts';
import { PGliteInWorker } from './pglite-in-worker.ts';
import { PreparedStatements, type PreparedQueries } from './pglite-prepared.ts';
import { serverStartParams } from './pglite-settings.ts';
import { copyTemplateDir, currentTemplate, currentTemplateDir } from './pglite-template.ts';
import type { WorkerOptions } from './pglite-worker.ts';

export interface EmbeddedOptions {
  dataDir: string;
  /** PGlite in memory instead of DATA_DIR (tests). */
  inMemory?: boolean;
  /** Where PGlite runs: its own worker thread (default), or this one (benchmarks compare). */
  thread?: 'worker' | 'main';
}

export interface EmbeddedDatabase {
  pglite: PGlite;
  /** The store's statements, prepared once in PGlite's session (pglite-prepared.ts). */
  prepared: PreparedQueries;
  /** Closes PGlite cleanly (or its data directory may be damaged), then frees DATA_DIR. */
  close(): Promise<void>;
}

export async function openEmbedded(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  return (await startEmbedded(options)).opened;
}

/**
 * Resolves as soon as PGlite is opening: DATA_DIR locked and PGlite's worker thread started.
 * `opened` resolves once it is ready. The process entry waits for the first before it loads the
 * rest of the server: loading modules keeps this thread busy for seconds, and the worker must
 * not wait for it to start.
 */
export async function startEmbedded(options: EmbeddedOptions): Promise<{ opened: Promise<EmbeddedDatabase> }> {
  let dir: string | undefined;
  let unlock: (() => Promise<void>) | null = null;
  if (!options.inMemory) {
    dir = path.resolve(options.dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
    // Before PGlite touches the files: a second process opening them would damage them.
    unlock = await lockDataDir(path.resolve(options.dataDir));
  }
  const failed = async (error: unknown): Promise<never> => {
    await unlock?.();
    throw error;
  };
  let opening: Promise<{ pglite: PGlite; prepared: PreparedQueries }>;
  try {
    const fresh = dir === undefined || !existsSync(path.join(dir, 'PG_VERSION'));
    // A new DATA_DIR is a copy of the unpacked template; in memory, PGlite loads the tarball.
    const templateDir = fresh && dir !== undefined ? await currentTemplateDir() : null;
    const template = fresh && !templateDir ? await currentTemplate() : null;
    opening = openPGlite({ dataDir: dir, template: template ?? undefined, templateDir: templateDir ?? undefined }, options.thread ?? 'worker');
  } catch (error) {
    return failed(error);
  }
  const opened = opening.then(
    ({ pglite, prepared }) => ({
      pglite,
      prepared,
      close: async () => {
        try {
          await pglite.close();
        } finally {
          await unlock?.();
        }
      },
    }),
    failed,
  );
  return { opened };
}

/**
 * PGlite in a worker thread, so that its synchronous WebAssembly work never holds up timers and
 * sockets. The proxy is handed to the adapter and the migrations as a PGlite: they call only
 * `query`, `exec`, `transaction` and `close` (pglite-prisma-adapter 0.7.2, migrate.ts), which it has.
 */
async function openPGlite(options: WorkerOptions, thread: 'worker' | 'main'): Promise<{ pglite: PGlite; prepared: PreparedQueries }> {
  if (thread === 'worker') {
    const worker = await PGliteInWorker.spawn(options).ready;
    return { pglite: worker as unknown as PGlite, prepared: worker };
  }
  const pglite = await openOnThisThread(options);
  return { pglite, prepared: new PreparedStatements(pglite) };
}

async function openOnThisThread({ dataDir, template, templateDir }: WorkerOptions): Promise<PGlite> {
  const [{ PGlite }, { readFile }] = await Promise.all([import('@electric-sql/pglite'), import('node:fs/promises')]);
  if (templateDir && dataDir) copyTemplateDir(templateDir, dataDir);
  const pglite = new PGlite({ dataDir, startParams: serverStartParams(PGlite.defaultStartParams), ...(template ? { loadDataDir: new Blob([await readFile(template)]) } : {}) });
  await pglite.waitReady;
  return pglite;
}
