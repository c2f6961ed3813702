// Where the migrations folder and the schema live: apart from migrate.ts, so that the embedded
// database's start (embedded.ts, which runs before the rest of the server loads) reads the
// migrations' names without loading the schema engine and pg.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Where the migrations folder and the schema live; tests point these at copies. */
export interface MigrationPaths {
  migrationsDir: string;
  schemaPath: string;
}
export const DEFAULT_PATHS: MigrationPaths = {
  migrationsDir: path.join(repoRoot, 'prisma', 'migrations'),
  schemaPath: path.join(repoRoot, 'prisma', 'schema.prisma'),
};
