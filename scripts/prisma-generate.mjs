// Runs `prisma generate` after install. The Prisma 7 CLI insists on downloading its native
// schema engine before any command, which fails offline; generate itself only needs WebAssembly,
// so pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file lets it run everywhere.
import { execFileSync } from 'node:child_process';

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
execFileSync('pnpm', ['exec', 'prisma', 'generate'], { stdio: 'inherit', env });
