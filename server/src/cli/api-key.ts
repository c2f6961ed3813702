/**
 * REST API keys of a site, for admins:
 *   pnpm apikey:create --site demo [--name "CRM"]   prints the new key — the only time it is shown
 *   pnpm apikey:list --site demo                     prefix, name, created, last used, revoked
 *   pnpm apikey:revoke --site demo <prefix or id>    every server refuses the key within a second
 * Works on the configured database (DATABASE_URL, or the embedded PGlite under DATA_DIR, which it
 * refuses to open while a server holds it).
 */
import { parseArgs } from 'node:util';
import { openCliDatabase } from './open-cli-database.ts';
import { PrismaApiKeys } from '../adapters/auth/prisma-api-keys.ts';
import { systemClock } from '../adapters/clock.ts';
import type { ApiKeyRecord } from '../services/ports.ts';

const USAGE = 'usage: pnpm apikey:create --site SITE_KEY [--name NAME] | pnpm apikey:list --site SITE_KEY | pnpm apikey:revoke --site SITE_KEY PREFIX_OR_ID';

const { values, positionals } = parseArgs({ options: { site: { type: 'string' }, name: { type: 'string' } }, allowPositionals: true });
const [command, target] = positionals;
if (!values.site || !['create', 'list', 'revoke'].includes(command ?? '') || (command === 'revoke') !== Boolean(target)) {
  console.error(USAGE);
  process.exit(2);
}

const { db } = await openCliDatabase(`apikey:${command}`, ', or manage keys in the console');

const describe = (k: ApiKeyRecord) =>
  [k.prefix, k.id, JSON.stringify(k.name), `created ${k.createdAt.toISOString()}`, k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : 'never used', k.revokedAt ? `REVOKED ${k.revokedAt.toISOString()}` : 'active'].join('  ');

try {
  const site = await db.prisma.site.findUnique({ where: { key: values.site }, select: { id: true } });
  const keys = new PrismaApiKeys(db.prisma, systemClock, (error) => console.error(error));
  if (!site) {
    console.error(`apikey:${command}: no site with key "${values.site}"`);
    process.exitCode = 1;
  } else if (command === 'create') {
    const { key, record } = await keys.create(site.id, values.name ?? 'API key');
    console.error(`Created ${record.prefix}… (${record.id}). Copy the key now: it is stored hashed and cannot be shown again.`);
    console.log(key);
  } else if (command === 'list') {
    const list = await keys.list(site.id);
    console.log(list.length ? list.map(describe).join('\n') : `(no API keys for site "${values.site}")`);
  } else {
    const revoked = await keys.revoke(site.id, target!);
    if (revoked) console.log(`revoked: ${describe(revoked)}`);
    else {
      console.error(`apikey:revoke: site "${values.site}" has no key with id or prefix "${target}" (or the prefix is shared: use the id)`);
      process.exitCode = 1;
    }
  }
} finally {
  await db.close();
}
