/**
 * Once per `vitest run`, before any test file: makes the migrated PGlite template that every
 * embedded test server's in-memory database starts from (adapters/db/pglite-template.ts), unless
 * the build already made today's. Without it each embedded server runs initdb and every migration
 * (~10 s of CPU here) instead of unpacking the copy (~1.5 s).
 */
import { writePGliteTemplate } from '../../src/cli/pglite-template.ts';

export default async function setup(): Promise<void> {
  await writePGliteTemplate();
}
