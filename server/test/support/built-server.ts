/**
 * The production build of the server (`pnpm build:server` → server/dist), for tests that run what
 * production runs. `pnpm test` builds it first; a test file run on its own rebuilds it only when
 * it is missing or older than the sources it is made from.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BUILT_MAIN = path.join(ROOT, 'server', 'dist', 'main.js');
export const BUILT_ADD_OPERATOR = path.join(ROOT, 'server', 'dist', 'cli', 'add-operator.js');
export const BUILT_KB_IMPORT = path.join(ROOT, 'server', 'dist', 'cli', 'kb-import.js');
const SOURCES = ['server/src', 'protocol/src', 'scripts/build-server.ts'].map((p) => path.join(ROOT, p));

/** One check (and build) at a time: servers spawned together must not build into server/dist at once. */
let checking: Promise<void> | null = null;

export function ensureServerBuilt(): Promise<void> {
  checking ??= buildIfStale().finally(() => (checking = null));
  return checking;
}

async function buildIfStale(): Promise<void> {
  const built = await Promise.all([BUILT_MAIN, BUILT_ADD_OPERATOR, BUILT_KB_IMPORT].map((f) => stat(f).then((s) => s.mtimeMs, () => 0)));
  const oldest = Math.min(...built);
  if (oldest > 0 && (await newestSource()) <= oldest) return;
  const { buildServer } = await import('../../../scripts/build-server.ts');
  await buildServer();
}

async function newestSource(): Promise<number> {
  let newest = 0;
  for (const source of SOURCES) {
    const info = await stat(source);
    const files = info.isDirectory() ? (await readdir(source, { recursive: true })).map((f) => path.join(source, f)) : [source];
    for (const file of files) newest = Math.max(newest, (await stat(file)).mtimeMs);
  }
  return newest;
}
