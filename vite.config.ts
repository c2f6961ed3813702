import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { build, defineConfig, type Plugin, type UserConfig } from 'vite';

/**
 * One config, one build per `--mode` (`pnpm build` runs them in turn):
 *   loader  — widget/src/loader.ts     → dist/widget/widget.js              classic IIFE the sites paste
 *   app     — widget/src/app/main.tsx  → dist/widget/widget-app-<hash>.js  ES module the loader imports
 *   console — operator console         → dist/console/                      (see the marked section)
 * The loader build builds the app first: it must name the app's content-hashed file, so a deploy
 * can never pair a loader with an app it was not built with. Every build writes into its own
 * folder without wiping the others' output, and leaves a .br and a .gz beside each file.
 */

const path = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Preact through the automatic runtime (tsconfig says the same; Vite 8 transforms with Oxc). */
const preactJsx: UserConfig['oxc'] = { jsx: { runtime: 'automatic', importSource: 'preact' } };

/**
 * The widget hands socket.io its transport classes (widget/src/app/transport.ts:
 * `transports: [WebSocket, Fetch]`). engine.io-client would still bundle XHR polling and
 * WebTransport (~2 KB gz): its default name → class map refers to them, and the XHR module runs
 * feature checks at load, so it is never dropped as unused. This plugin empties the map (read
 * only when transports are given by name) and declares both modules free of side effects, so
 * unused they go. It fails the build if a socket.io upgrade changes the map file.
 */
function explicitTransportsOnly(): Plugin {
  const transportsDir = /engine\.io-client[\\/]build[\\/]esm[\\/]transports[\\/]/;
  return {
    name: 'support-chat:explicit-transports-only',
    transform(code, id) {
      if (!transportsDir.test(id)) return null;
      if (/[\\/]index\.js$/.test(id)) {
        if (!/^export const transports = \{[^}]*\};?$/m.test(code)) {
          throw new Error(`support-chat:explicit-transports-only: unexpected ${id}, update the plugin`);
        }
        return { code: 'export const transports = {};\n', map: null };
      }
      if (/[\\/](polling-xhr|webtransport)\.js$/.test(id)) return { code, map: null, moduleSideEffects: false };
      return null;
    },
  };
}

/**
 * engine.io-client parses the server URL with a hand-written 14-group regex (contrib/parseuri.js);
 * the widget's app build gets widget/src/app/socket-parseuri.ts, on the browser's URL, instead.
 * It fails the build if an engine.io-client upgrade drops that file, so the swap cannot go stale.
 */
function platformUriParser(): Plugin {
  const parseuri = /engine\.io-client[\\/]build[\\/]esm[\\/]contrib[\\/]parseuri\.js$/;
  let swapped = false;
  return {
    name: 'support-chat:platform-uri-parser',
    transform(_code, id) {
      if (!parseuri.test(id)) return null;
      swapped = true;
      return { code: `export { parse } from ${JSON.stringify(path('widget/src/app/socket-parseuri.ts'))};\n`, map: null };
    },
    buildEnd(error) {
      if (!error && !swapped) this.error('support-chat:platform-uri-parser: engine.io-client no longer has contrib/parseuri.js, update the plugin');
    },
  };
}

/**
 * Brotli and gzip copies of every emitted file, made once at the best levels so the server sends
 * them as they are (server/src/http/routes/static-files.ts) instead of compressing per request.
 * Twenty lines of node:zlib rather than a plugin package: nothing to keep in step with Vite.
 */
function precompressed(): Plugin {
  const br = promisify(brotliCompress);
  const gz = promisify(gzip);
  return {
    name: 'support-chat:precompressed',
    apply: 'build',
    async writeBundle(options, bundle) {
      const files = Object.keys(bundle).filter((name) => /\.(?:js|css|html)$/.test(name));
      await Promise.all(
        files.map(async (name) => {
          const file = join(options.dir!, name);
          const raw = await readFile(file);
          const brotli = { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length };
          await Promise.all([writeFile(`${file}.br`, await br(raw, { params: brotli })), writeFile(`${file}.gz`, await gz(raw, { level: 9 }))]);
        }),
      );
    },
  };
}

/** Builds the app and returns its file name (`widget-app-<hash>.js`) for the loader to import. */
async function buildApp(): Promise<string> {
  const result = await build({ ...(await builds.app!()), configFile: false, mode: 'app' });
  for (const output of Array.isArray(result) ? result : [result]) {
    const entry = 'output' in output ? output.output.find((chunk) => chunk.type === 'chunk' && chunk.isEntry) : undefined;
    if (entry) return entry.fileName;
  }
  throw new Error('vite.config.ts: the app build emitted no entry chunk');
}

/** Options every browser bundle shares: small, no source maps shipped, nothing copied from public/. */
const shared = (outDir: string): UserConfig => ({
  publicDir: false,
  plugins: [precompressed()],
  // Library mode leaves process.env.NODE_ENV alone; dependencies must see production.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: path(outDir),
    emptyOutDir: false,
    // Dynamic import() is the floor anyway: the loader needs it to fetch the app.
    target: 'es2020',
    minify: true,
    sourcemap: false,
    reportCompressedSize: true,
  },
});

const builds: Record<string, () => UserConfig | Promise<UserConfig>> = {
  loader: async () => {
    const base = shared('dist/widget');
    return {
      ...base,
      // The loader refers to the app by the name this very build gave it.
      define: { ...base.define, __WIDGET_APP_FILE__: JSON.stringify(await buildApp()) },
      build: {
        ...base.build,
        lib: {
          entry: path('widget/src/loader.ts'),
          formats: ['iife'],
          name: 'SupportChatLoader',
          fileName: () => 'widget.js',
        },
      },
    };
  },

  app: () => {
    const base = shared('dist/widget');
    return {
      ...base,
      oxc: preactJsx,
      plugins: [explicitTransportsOnly(), platformUriParser(), ...base.plugins!],
      // JSON-only packets: the binary halves of socket.io-parser and engine.io-parser are never used (see the files).
      resolve: {
        alias: {
          'socket.io-parser': path('widget/src/app/socket-parser.ts'),
          'engine.io-parser': path('widget/src/app/engine-parser.ts'),
        },
      },
      build: {
        ...base.build,
        lib: {
          entry: path('widget/src/app/main.tsx'),
          formats: ['es'],
          // Content-hashed: served as immutable, so a returning visitor never downloads it twice.
          fileName: () => 'widget-app-[hash].js',
        },
        rolldownOptions: {
          output: {
            // One file: every extra chunk is another round trip (and another CORS fetch) after a click.
            codeSplitting: false,
            // Vite keeps whitespace in ES libraries for downstream bundlers; this one goes straight
            // to browsers, so it is minified like an app.
            minify: { codegen: { removeWhitespace: true } },
            comments: false,
          },
        },
      },
    };
  },

  // ── console ─────────────────────────────────────────────────────────────────────────────────
  // Operator console (owned by the console engineer): console/index.html + console/src/main.tsx →
  // dist/console/{index.html, console.js, console.css}, served by the server under /console/.
  console: () => {
    const base = shared('dist/console');
    return {
      ...base,
      root: path('console'),
      // The html references /console/console.js and /console/console.css (absolute, as served).
      base: '/console/',
      oxc: preactJsx,
      build: {
        ...base.build,
        // Same-origin app for current browsers; no preload polyfill for a single file.
        modulePreload: false,
        rolldownOptions: {
          input: path('console/index.html'),
          output: {
            // One file, but for what is imported lazily (the analytics tab's chart library).
            entryFileNames: 'console.js',
            chunkFileNames: 'assets/[name]-[hash].js',
            assetFileNames: (asset) => (asset.names.some((n) => n.endsWith('.css')) ? 'console.css' : 'assets/[name]-[hash][extname]'),
            comments: false,
          },
        },
      },
    };
  },
  // ── end console ─────────────────────────────────────────────────────────────────────────────
};

export default defineConfig(({ mode }) => {
  const config = builds[mode];
  if (!config) {
    throw new Error(`vite.config.ts: unknown --mode "${mode}", expected one of: ${Object.keys(builds).join(', ')}`);
  }
  return config();
});
