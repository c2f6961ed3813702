/**
 * `require` as seen from the server workspace: the floor servers load exactly the socket.io,
 * koa and pg versions the product runs (pnpm does not hoist them to the repository root).
 */
import { createRequire } from 'node:module';

export const serverRequire = createRequire(new URL('../../server/package.json', import.meta.url));
