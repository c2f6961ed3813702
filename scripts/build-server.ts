/**
 * `pnpm build:server`: compiles the server into plain JavaScript that `node` runs (production
 * runs no TypeScript loader: tsx kills its child ~60 ms after a signal it does not acknowledge,
 * which can cut PGlite's clean close short).
 *
 *   server/src/main.ts              → server/dist/main.js (the process entry: small, so that it starts
 *                                     the embedded database before it loads server.js)
 *   server/src/server.ts            → server/dist/server.js (the composition root, imported by main.js)
 *   server/src/cli/add-operator.ts  → server/dist/cli/add-operator.js
 *   server/src/cli/api-key.ts       → server/dist/cli/api-key.js
 *   server/src/adapters/db/pglite-worker.ts → server/dist/adapters/db/pglite-worker.js (the embedded database's thread)
 *
 * Why esbuild bundling rather than tsc: the workspace package @support-chat/protocol is
 * TypeScript source (its `exports` point at src/index.ts, which the widget and console bundle
 * too) and the generated Prisma client is TypeScript with `.ts` imports; a bundle inlines both,
 * with no second package build and no rewriting of import extensions. Every npm package stays
 * external, so native and WebAssembly packages (argon2, PGlite, Prisma's engines) load from
 * server/node_modules as they do under tsx.
 *
 * One catch of bundling: every module would share the bundle's `import.meta.url`, and several
 * compute paths from their own (main.ts → dist/ and demo-site/, migrate.ts → prisma/migrations,
 * the intents data set → server/data). So each server module's `import.meta.url` is rewritten to
 * the URL it would have as server/dist/<same path>.js: server/dist mirrors server/src at the same
 * depth, hence every relative path resolves as it does from the sources.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_SRC = path.join(ROOT, 'server', 'src');
export const SERVER_DIST = path.join(ROOT, 'server', 'dist');
const ENTRIES = ['main.ts', 'server.ts', 'cli/add-operator.ts', 'cli/api-key.ts', 'cli/webhook-secret.ts', 'cli/identity-secret.ts', 'cli/kb-import.ts', 'adapters/db/pglite-worker.ts'];

/** Gives each module under server/src the `import.meta.url` of its mirror in server/dist. */
function mirroredImportMetaUrl(outfile: string): Plugin {
  return {
    name: 'support-chat:mirrored-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(SERVER_SRC + path.sep)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const mirror = path.join(SERVER_DIST, path.relative(SERVER_SRC, args.path)).replace(/\.ts$/, '.js');
        const relative = path.relative(path.dirname(outfile), mirror).split(path.sep).join('/');
        const url = `new URL(${JSON.stringify(relative.startsWith('.') ? relative : `./${relative}`)}, import.meta.url).href`;
        return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
      });
    },
  };
}

/** Inlines workspace packages (TypeScript sources); every other package stays an import. */
const workspacePackagesInlined: Plugin = {
  name: 'support-chat:workspace-packages-inlined',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.pluginData === 'workspace') return undefined; // esbuild's own resolution
      if (!args.path.startsWith('@support-chat/')) return { path: args.path, external: true };
      return b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'workspace' });
    });
  },
};

export async function buildServer(): Promise<string[]> {
  const outfiles = ENTRIES.map((entry) => path.join(SERVER_DIST, entry.replace(/\.ts$/, '.js')));
  await Promise.all(
    ENTRIES.map((entry, i) =>
      build({
        entryPoints: [path.join(SERVER_SRC, entry)],
        outfile: outfiles[i],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        sourcemap: true,
        logLevel: 'warning',
        plugins: [workspacePackagesInlined, mirroredImportMetaUrl(outfiles[i]!)],
      }),
    ),
  );
  return outfiles;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outfiles = await buildServer();
  console.log(`built ${outfiles.map((f) => path.relative(ROOT, f)).join(', ')}`);
}
