/**
 * `pnpm webhook:secret --site demo [--rotate]` — prints the site's webhook signing key
 * (`whsec_…`, made now if the site has none), for the platform's receiver to verify our POSTs with.
 * `--rotate` replaces it: every delivery from then on, retries included, is signed with the new one.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../adapters/db/database.ts';
import { DataDirLockedError } from '../adapters/db/data-dir-lock.ts';
import { SiteWebhookSecrets } from '../adapters/webhook/site-webhook-secrets.ts';

const { values } = parseArgs({ options: { site: { type: 'string' }, rotate: { type: 'boolean', default: false } } });
if (!values.site) {
  console.error('usage: pnpm webhook:secret --site SITE_KEY [--rotate]');
  process.exit(2);
}

const config = loadConfig();
const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR }).catch((error: unknown) => {
  if (!(error instanceof DataDirLockedError)) throw error;
  // The embedded database takes one process at a time; the server holds it while it runs.
  console.error(
    `webhook:secret: the server is running on DATA_DIR=${error.dataDir}${error.holderPid ? ` (pid ${error.holderPid})` : ''}; stop it first (or use a DATABASE_URL, which any number of processes share)`,
  );
  process.exit(1);
});
try {
  const secret = await new SiteWebhookSecrets(db.prisma).forSite(values.site, values.rotate);
  if (!secret) {
    console.error(`webhook:secret: no site with key "${values.site}"`);
    process.exitCode = 1;
  } else {
    console.log(secret);
  }
} finally {
  await db.close();
}
