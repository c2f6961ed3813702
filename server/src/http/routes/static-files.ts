/**
 * The built widget (`/widget.js`, `/widget-app-<hash>.js`), the operator console (`/console`) and
 * the demo customer site (`/`). Files are small: read once, served from memory with an ETag.
 *
 * The build leaves a brotli and a gzip copy beside each file (vite.config.ts); the one the browser
 * accepts is sent as it is, with `Vary: Accept-Encoding` so caches keep them apart. The widget's
 * app has its content hash in its name and is cached for a year; `/widget.js`, the URL site owners
 * paste, is cached for minutes and names the app it was built with, so a deploy reaches every page
 * within those minutes and a loader never imports an app from another build.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppDeps } from '../app.ts';
import { pickEncoding, type ContentCoding } from '../accept-encoding.ts';

interface Variant {
  body: Buffer;
  etag: string;
}

interface Asset {
  type: string;
  /** What exists of br, gzip, identity (always), best first. */
  variants: Map<ContentCoding, Variant>;
}

interface ServeOptions {
  /** The widget is loaded by other sites' pages: its files must be importable cross-origin. */
  cors?: boolean;
  cacheControl?: string;
  /** Rewrites the text before serving; such a file is served uncompressed (its copies would be stale). */
  transform?: (s: string) => string;
}

const JS = 'application/javascript; charset=utf-8';
const REVALIDATE = 'public, max-age=0, must-revalidate';
/** The loader: short, so a deploy's new loader (and with it the new app) reaches pages soon. */
const LOADER_CACHE = 'public, max-age=300, must-revalidate';
/** Content-hashed files never change under their name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The hash part of `widget-app-<hash>.js` as the build names it; nothing else reaches the disk. */
/** `bar-chart-CcUL13_t`: a lazily imported console chunk. */
const CONSOLE_CHUNK = /^[a-z][a-z0-9-]{0,40}-[A-Za-z0-9_-]{8}$/;
const APP_HASH = /^[A-Za-z0-9_-]{6,64}$/;

const variantOf = (body: Buffer): Variant => ({ body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` });
const readOrNull = (file: string) => readFile(file).catch(() => null);

export function staticRoutes(deps: Pick<AppDeps, 'config' | 'paths'>): Router {
  const router = new Router();
  const assets = new Map<string, Promise<Asset | null>>();

  const read = async (file: string, type: string, transform?: (s: string) => string): Promise<Asset | null> => {
    const raw = await readOrNull(file);
    if (!raw) return null;
    const variants = new Map<ContentCoding, Variant>();
    if (!transform) {
      const [br, gzip] = await Promise.all([readOrNull(`${file}.br`), readOrNull(`${file}.gz`)]);
      if (br) variants.set('br', variantOf(br));
      if (gzip) variants.set('gzip', variantOf(gzip));
    }
    variants.set('identity', variantOf(transform ? Buffer.from(transform(raw.toString('utf8'))) : raw));
    return { type, variants };
  };

  const load = (file: string, type: string, transform?: (s: string) => string) => {
    let asset = assets.get(file);
    if (!asset) {
      asset = read(file, type, transform);
      // In development files change under us: cache only in production, and only files that
      // exist (a miss is not worth remembering, and requests for made-up hashes would fill the map).
      if (deps.config.NODE_ENV === 'production') {
        assets.set(file, asset);
        void asset.then((found) => {
          if (!found) assets.delete(file);
        });
      }
    }
    return asset;
  };

  const send = (ctx: Context, asset: Asset, opts: ServeOptions) => {
    if (opts.cors) {
      ctx.set('Access-Control-Allow-Origin', '*');
      // A `<script src>` on another site is a no-cors load, which the default same-origin CORP would block.
      ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    }
    ctx.set('Cache-Control', opts.cacheControl ?? REVALIDATE);
    if (asset.variants.size > 1) ctx.vary('Accept-Encoding');
    const coding = pickEncoding(ctx.get('accept-encoding'), [...asset.variants.keys()]);
    const variant = asset.variants.get(coding)!;
    ctx.set('ETag', variant.etag);
    if (ctx.get('if-none-match') === variant.etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = asset.type;
    ctx.body = variant.body;
    if (coding !== 'identity') ctx.set('Content-Encoding', coding);
  };

  const serve = (route: string, file: string, type: string, opts: ServeOptions = {}) => {
    router.get(route, async (ctx) => {
      const asset = await load(file, type, opts.transform);
      if (!asset) {
        ctx.status = 503;
        ctx.body = { error: { code: 'not_built', message: `${path.basename(file)} is not built yet: run pnpm build` } };
        return;
      }
      send(ctx, asset, opts);
    });
  };

  const { distDir, demoDir } = deps.paths;
  serve('/widget.js', path.join(distDir, 'widget/widget.js'), JS, { cors: true, cacheControl: LOADER_CACHE });
  // Any app build still on disk is served, not only the newest: a page may hold the loader of the
  // previous deploy for a few minutes.
  router.get('/widget-app-:hash.js', async (ctx, next) => {
    const hash = ctx.params.hash ?? '';
    if (!APP_HASH.test(hash)) return next();
    const asset = await load(path.join(distDir, `widget/widget-app-${hash}.js`), JS);
    if (!asset) return next();
    send(ctx, asset, { cors: true, cacheControl: IMMUTABLE });
  });
  serve('/console', path.join(distDir, 'console/index.html'), 'text/html; charset=utf-8');
  serve('/console/console.js', path.join(distDir, 'console/console.js'), JS);
  serve('/console/console.css', path.join(distDir, 'console/console.css'), 'text/css; charset=utf-8');
  // Chunks the console imports lazily (the analytics charts), named by their content hash.
  router.get('/console/assets/:name.js', async (ctx, next) => {
    const name = ctx.params.name ?? '';
    if (!CONSOLE_CHUNK.test(name)) return next();
    const asset = await load(path.join(distDir, `console/assets/${name}.js`), JS);
    if (!asset) return next();
    send(ctx, asset, { cacheControl: IMMUTABLE });
  });
  serve('/', path.join(demoDir, 'index.html'), 'text/html; charset=utf-8', {
    // The page carries the snippet a site owner pastes; point it at wherever this server runs.
    transform: (html) => html.replaceAll('http://localhost:3000', deps.config.PUBLIC_URL),
  });
  return router;
}
