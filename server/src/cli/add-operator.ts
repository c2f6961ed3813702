/**
 * `pnpm operator:add --email a@b.c --name Anna [--role owner] [--site KEY[:admin]]…` — creates or
 * updates an operator account in the configured database (DATABASE_URL, or the embedded PGlite under DATA_DIR, which
 * it refuses to open while a server holds it).
 * The password is read from OPERATOR_PASSWORD or stdin, never from the command line (shell history).
 * `--role owner` manages every site; otherwise `--site` (repeatable) names the sites the operator
 * joins, as the site's `admin` or (default) `operator`. `--role admin` is the old name of `owner`.
 */
import { parseArgs } from 'node:util';
import { openCliDatabase } from './open-cli-database.ts';
import { PrismaStore } from '../adapters/db/prisma-store.ts';
import { argon2Hasher } from '../adapters/auth/argon2-hasher.ts';
import { jwtSigner } from '../adapters/auth/jwt-signer.ts';
import { OperatorAuth } from '../services/operator-auth.ts';

async function readStdin(): Promise<string> {
  let data = '';
  for await (const chunk of process.stdin) data += chunk;
  return data.trim();
}

const { values } = parseArgs({
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'operator' }, site: { type: 'string', multiple: true, default: [] } },
});
const role = values.role === 'admin' ? 'owner' : values.role;
const sites = values.site.map((spec) => {
  const [siteKey = '', siteRole = 'operator'] = spec.split(':');
  return { siteKey, role: siteRole };
});
const usage = 'usage: pnpm operator:add --email EMAIL --name NAME [--role operator|owner] [--site KEY[:admin|:operator]]…  (password from OPERATOR_PASSWORD or stdin)';
if (!values.email || !values.name || (role !== 'operator' && role !== 'owner') || sites.some((s) => !s.siteKey || (s.role !== 'admin' && s.role !== 'operator'))) {
  console.error(usage);
  process.exit(2);
}
if (role === 'operator' && sites.length === 0) console.warn('note: an operator with no --site sees nothing until a site admin adds it (pnpm operator:add … --site KEY)');
const password = process.env.OPERATOR_PASSWORD ?? (await readStdin());
if (password.length < 8) {
  console.error('password: must be at least 8 characters');
  process.exit(2);
}

const { config, db } = await openCliDatabase('operator:add');
try {
  const store = new PrismaStore(db.prisma);
  const auth = new OperatorAuth(store, argon2Hasher, jwtSigner(config.SECRET_KEY, 1));
  const unknown: string[] = [];
  for (const { siteKey } of sites) if (!(await store.findSiteByKey(siteKey))) unknown.push(siteKey);
  if (unknown.length > 0) {
    console.error(`--site: no such site: ${unknown.join(', ')}`);
    process.exitCode = 2;
  } else {
    const operator = await auth.upsert({ email: values.email, name: values.name, role, password, sites: sites as { siteKey: string; role: 'admin' | 'operator' }[] });
    const where = operator.sites.map((s) => `${s.siteKey} (${s.role})`).join(', ');
    console.log(`operator ${operator.email} (${operator.role}${where ? `; sites: ${where}` : ''}) saved`);
  }
} finally {
  await db.close();
}
