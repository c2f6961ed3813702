/**
 * `pnpm operator:add --email a@b.c --name Anna [--role admin]` — creates or updates an operator
 * account in the configured database (DATABASE_URL, or the embedded PGlite under DATA_DIR, which
 * it refuses to open while a server holds it).
 * The password is read from OPERATOR_PASSWORD or stdin, never from the command line (shell history).
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
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'operator' } },
});
if (!values.email || !values.name || (values.role !== 'operator' && values.role !== 'admin')) {
  console.error('usage: pnpm operator:add --email EMAIL --name NAME [--role operator|admin]  (password from OPERATOR_PASSWORD or stdin)');
  process.exit(2);
}
const password = process.env.OPERATOR_PASSWORD ?? (await readStdin());
if (password.length < 8) {
  console.error('password: must be at least 8 characters');
  process.exit(2);
}

const { config, db } = await openCliDatabase('operator:add');
try {
  const auth = new OperatorAuth(new PrismaStore(db.prisma), argon2Hasher, jwtSigner(config.SECRET_KEY, 1));
  const operator = await auth.upsert({ email: values.email, name: values.name, role: values.role, password });
  console.log(`operator ${operator.email} (${operator.role}) saved`);
} finally {
  await db.close();
}
