/**
 * `pnpm webhook:secret --site demo [--rotate]` — prints the site's webhook signing key
 * (`whsec_…`, made now if the site has none), for the platform's receiver to verify our POSTs with.
 * `--rotate` replaces it: every delivery from then on, retries included, is signed with the new one.
 */
import { parseArgs } from 'node:util';
import { openCliDatabase } from './open-cli-database.ts';
import { SiteWebhookSecrets } from '../adapters/webhook/site-webhook-secrets.ts';

const { values } = parseArgs({ options: { site: { type: 'string' }, rotate: { type: 'boolean', default: false } } });
if (!values.site) {
  console.error('usage: pnpm webhook:secret --site SITE_KEY [--rotate]');
  process.exit(2);
}

const { db } = await openCliDatabase('webhook:secret');
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
