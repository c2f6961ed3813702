/**
 * The database of an admin command, opened with the server's own configuration — or one line
 * and exit 1 when a running server holds the embedded DATA_DIR (PGlite takes one process at a
 * time; a DATABASE_URL is shared by any number of processes).
 */
import { loadConfig, type Config } from '../config.ts';
import { openDatabase, type Database } from '../adapters/db/database.ts';
import { DataDirLockedError } from '../adapters/db/data-dir-lock.ts';

/** `command` names the refusal (`operator:add`); `alternative` is another way, e.g. ", or … in the console". */
export async function openCliDatabase(command: string, alternative = ''): Promise<{ config: Readonly<Config>; db: Database }> {
  const config = loadConfig();
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR }).catch((error: unknown) => {
    if (!(error instanceof DataDirLockedError)) throw error;
    const holder = error.holderPid ? ` (pid ${error.holderPid})` : '';
    console.error(`${command}: the server is running on DATA_DIR=${error.dataDir}${holder}; stop it first${alternative} (or use a DATABASE_URL, which any number of processes share)`);
    process.exit(1);
  });
  return { config, db };
}
