/**
 * The database of an admin command, opened with the server's own configuration — or one line
 * and exit 1 when the configuration is refused, or when a running server holds the embedded
 * DATA_DIR (PGlite takes one process at a time; a DATABASE_URL is shared by any number of
 * processes). Not a stack trace: the commands ship minified, and Node would print the bundle's
 * whole source line above it.
 */
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { openDatabase, type Database } from '../adapters/db/database.ts';
import { DataDirLockedError } from '../adapters/db/data-dir-lock.ts';

/** `command` names the refusal (`operator:add`); `alternative` is another way, e.g. ", or … in the console". */
export async function openCliDatabase(command: string, alternative = ''): Promise<{ config: Readonly<Config>; db: Database }> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${command}: ${error.message}`);
    process.exit(1);
  }
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR }).catch((error: unknown) => {
    if (!(error instanceof DataDirLockedError)) throw error;
    const holder = error.holderPid ? ` (pid ${error.holderPid})` : '';
    console.error(`${command}: the server is running on DATA_DIR=${error.dataDir}${holder}; stop it first${alternative} (or use a DATABASE_URL, which any number of processes share)`);
    process.exit(1);
  });
  return { config, db };
}
