/**
 * `pnpm build:server`: compiles the server into plain JavaScript that `node` runs (production
 * runs no TypeScript loader: tsx kills its child ~60 ms after a signal it does not acknowledge,
 * which can cut PGlite's clean close short).
 *
 *   server/src/main.ts              → server/dist/main.js (the process entry: small, so that it starts
 *                                     the embedded database before it loads server.js)
 *   server/src/server.ts            → server/dist/server.js (the composition root, imported by main.js;
 *                                     what both share is in server/dist/shared-<hash>.js chunks)
 *   server/src/cli/add-operator.ts  → server/dist/cli/add-operator.js
 *   server/src/cli/api-key.ts       → server/dist/cli/api-key.js
 *   server/src/adapters/db/pglite-worker.ts → server/dist/adapters/db/pglite-worker.js (the embedded database's thread)
 *
 * Why esbuild bundling rather than tsc: the workspace package @support-chat/protocol is
 * TypeScript source (its `exports` point at src/index.ts, which the widget and console bundle
 * too) and the generated Prisma client is TypeScript with `.ts` imports; a bundle inlines both,
 * with no second package build and no rewriting of import extensions.
 *
 * npm packages are inlined too: loaded one module at a time, Node resolved, read, lexed (for
 * CommonJS named exports) and compiled ~900 package files at every start — about 1 s of the ~3 s start
 * budget on this 2-core machine. Native and WebAssembly packages (argon2, PGlite, Prisma's
 * engines) stay external (EXTERNAL below) and load from server/node_modules as under tsx.
 *
 * One catch of bundling: every module would share the bundle's `import.meta.url`, and several
 * compute paths from their own (main.ts → dist/ and demo-site/, migrate.ts → prisma/migrations,
 * the intents data set → server/data). So each server module's `import.meta.url` is rewritten to
 * the URL it would have as server/dist/<same path>.js: server/dist mirrors server/src at the same
 * depth, hence every relative path resolves as it does from the sources.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_SRC = path.join(ROOT, 'server', 'src');
export const SERVER_DIST = path.join(ROOT, 'server', 'dist');
/**
 * Each group is one bundle; the process entry and the composition root share their common modules
 * (config, logger, zod, pino…) as chunks, so those load once.
 */
const ENTRIES = [['main.ts', 'server.ts'], ['cli/add-operator.ts'], ['cli/api-key.ts'], ['cli/webhook-secret.ts'], ['cli/identity-secret.ts'], ['cli/kb-import.ts'], ['adapters/db/pglite-worker.ts']];

/** Gives each module under server/src the `import.meta.url` of its mirror in server/dist (its bundle is written to `outdir`). */
function mirroredImportMetaUrl(outdir: string): Plugin {
  return {
    name: 'support-chat:mirrored-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(SERVER_SRC + path.sep)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const mirror = path.join(SERVER_DIST, path.relative(SERVER_SRC, args.path)).replace(/\.ts$/, '.js');
        const relative = path.relative(outdir, mirror).split(path.sep).join('/');
        const url = `new URL(${JSON.stringify(relative.startsWith('.') ? relative : `./${relative}`)}, import.meta.url).href`;
        return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
      });
    },
  };
}

/**
 * Packages that stay imports from server/node_modules: they load files that sit beside their own
 * (PGlite's and Prisma's WebAssembly, argon2's native addon), or are large and loaded only when
 * used (Prisma's query compiler, 4.6 MB of base64, on the first query).
 */
const EXTERNAL = [/^@electric-sql\/pglite/, /^@node-rs\/argon2/, /^@prisma\/schema-engine-wasm/, /^@prisma\/client\/runtime\/query_compiler/, /^pg-native$/];

/** Inlines workspace packages (TypeScript sources) and npm packages but the EXTERNAL ones. */
const packagesInlined: Plugin = {
  name: 'support-chat:packages-inlined',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.pluginData === 'inline') return undefined; // esbuild's own resolution
      if (args.path.startsWith('node:') || EXTERNAL.some((pattern) => pattern.test(args.path))) return { path: args.path, external: true };
      return b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inline' }).then((resolved) =>
        // Optional packages that are not installed (ws's bufferutil, debug's supports-color) are
        // required inside try/catch: left as they are, they fail at run time as without a bundle.
        resolved.errors.length ? { path: args.path, external: true } : resolved,
      );
    });
  },
};

/** The CommonJS packages in an ESM bundle still call `require` for Node's own modules. */
const REQUIRE_BANNER = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export async function buildServer(): Promise<string[]> {
  const outfiles = ENTRIES.flat().map((entry) => path.join(SERVER_DIST, entry.replace(/\.ts$/, '.js')));
  // Shared chunks of an earlier build: their names carry a hash of their contents.
  for (const name of await readdir(SERVER_DIST).catch(() => [])) if (name.startsWith('shared-')) await rm(path.join(SERVER_DIST, name));
  await Promise.all(
    ENTRIES.map((group) => {
      // Every output of a group (entries and shared chunks) sits in the folder of its first entry.
      const outdir = path.dirname(path.join(SERVER_DIST, group[0]!));
      return build({
        entryPoints: group.map((entry) => path.join(SERVER_SRC, entry)),
        outbase: SERVER_SRC,
        outdir: SERVER_DIST,
        splitting: group.length > 1,
        chunkNames: 'shared-[hash]',
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        sourcemap: true,
        minifyWhitespace: true,
        minifySyntax: true,
        logLevel: 'warning',
        banner: { js: REQUIRE_BANNER },
        plugins: [packagesInlined, mirroredImportMetaUrl(outdir)],
      });
    }),
  );
  return outfiles;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outfiles = await buildServer();
  console.log(`built ${outfiles.map((f) => path.relative(ROOT, f)).join(', ')}`);
}
