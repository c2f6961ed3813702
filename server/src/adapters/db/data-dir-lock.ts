/**
 * One process at a time on an embedded PGlite DATA_DIR. PGlite takes no lock of its own: two
 * processes on one directory both open it, both write, and it ends up unreadable
 * (electric-sql/pglite#1106). proper-lockfile holds `DATA_DIR/server.lock` and keeps it fresh
 * while the process lives; `server.lock.json` beside it names the holder, so a lock left by a
 * process of this host that is gone (SIGKILL, OOM kill) is taken over at once rather than after
 * the stale period — a crashed server restarts without waiting.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  readonly code = 'DATA_DIR_LOCKED';
  constructor(
    readonly dataDir: string,
    readonly holderPid: number | null,
  ) {
    super(`DATA_DIR=${dataDir} is in use by another server process${holderPid ? ` (pid ${holderPid})` : ''}: stop it first, or set another DATA_DIR`);
  }
}

interface Holder {
  pid: number;
  host: string;
}

/** A holder that stops refreshing the lock for this long is presumed dead (another host, or no holder file). */
const STALE_MS = 30_000;
/** Directories this process holds: a second open from the same process must fail too. */
const held = new Set<string>();

/** Locks `dataDir` (which must exist) and returns the release function. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, 'server.lock');
  const holderPath = path.join(dataDir, 'server.lock.json');
  const options = {
    lockfilePath: lockPath,
    realpath: false,
    stale: STALE_MS,
    // Thrown from proper-lockfile's refresh timer, so it reaches the process-wide handler, which
    // exits: once another process may have taken the directory, writing on would damage it.
    onCompromised: (error: Error) => {
      throw new Error(`lost the lock on DATA_DIR=${dataDir} (${error.message}): stopping so that two processes never write it`);
    },
  };
  const locked = (holder: Holder | null) => new DataDirLockedError(dataDir, holder?.pid ?? null);

  if (held.has(lockPath)) throw locked({ pid: process.pid, host: hostname() });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dataDir, options);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOCKED') throw error;
    const holder = await readHolder(holderPath);
    if (!holder || isAlive(holder)) throw locked(holder);
    await rm(lockPath, { recursive: true, force: true });
    release = await lockfile.lock(dataDir, options).catch((again: { code?: string }) => {
      throw again.code === 'ELOCKED' ? locked(null) : again;
    });
  }
  held.add(lockPath);
  await writeFile(holderPath, JSON.stringify({ pid: process.pid, host: hostname() } satisfies Holder));
  return async () => {
    await rm(holderPath, { force: true });
    held.delete(lockPath);
    await release();
  };
}

async function readHolder(file: string): Promise<Holder | null> {
  try {
    const holder = JSON.parse(await readFile(file, 'utf8')) as Partial<Holder>;
    return typeof holder.pid === 'number' && typeof holder.host === 'string' ? { pid: holder.pid, host: holder.host } : null;
  } catch {
    return null; // not written yet, or by hand: only staleness can tell
  }
}

function isAlive(holder: Holder): boolean {
  // Another host (a container sharing the volume): its processes cannot be checked from here.
  if (holder.host !== hostname()) return true;
  // Our own pid in a lock we do not hold: a restarted container runs as the same pid.
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'; // alive, someone else's
  }
}
