/**
 * How the server's embedded Postgres is started (the worker's PGlite, or one on the server's
 * thread): PGlite's own parameters plus ours.
 *
 * shared_buffers: Postgres's default, 128 MB, is set up at every open — ~0.5 s of CPU on this
 * 2-core machine, a sixth of the start-up budget — for a buffer pool a small deployment's data
 * does not fill. At 32 MB the open costs ~0.4 s less (measured 1.5–1.7 s → 1.0–1.2 s of CPU on
 * an existing DATA_DIR) and the process holds ~100 MB less; pages beyond it are read back from
 * DATA_DIR's files, which the OS keeps cached.
 */
export const SERVER_PGLITE_PARAMS = ['-c', 'shared_buffers=32MB'];

/** The start parameters for `new PGlite({ startParams })`, given PGlite's defaults. */
export function serverStartParams(defaults: readonly string[]): string[] {
  return [...defaults, ...SERVER_PGLITE_PARAMS];
}
