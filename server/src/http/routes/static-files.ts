/**
 * The built widget (`/widget.js`, `/widget-app.js`), the operator console (`/console`) and the
 * demo customer site (`/`). Files are small: read once, served from memory with an ETag.
 */
import Router from '@koa/router';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppDeps } from '../app.ts';

interface Asset {
  body: Buffer;
  etag: string;
  type: string;
}

export function staticRoutes(deps: AppDeps): Router {
  const router = new Router();
  const assets = new Map<string, Promise<Asset | null>>();

  const load = (file: string, type: string, transform?: (s: string) => string) => {
    let asset = assets.get(file);
    if (!asset) {
      asset = readFile(file).then(
        (raw) => {
          const body = transform ? Buffer.from(transform(raw.toString('utf8'))) : raw;
          return { body, type, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
        },
        () => null,
      );
      // In development files change under us; cache only in production.
      if (deps.config.NODE_ENV === 'production') assets.set(file, asset);
    }
    return asset;
  };

  const serve = (route: string, file: string, type: string, opts: { cors?: boolean; maxAge?: number; transform?: (s: string) => string } = {}) => {
    router.get(route, async (ctx) => {
      const asset = await load(file, type, opts.transform);
      if (!asset) {
        ctx.status = 503;
        ctx.body = { error: { code: 'not_built', message: `${path.basename(file)} is not built yet: run pnpm build` } };
        return;
      }
      // The widget is loaded by other sites' pages: its files must be importable cross-origin.
      if (opts.cors) ctx.set('Access-Control-Allow-Origin', '*');
      ctx.set('Cache-Control', `public, max-age=${opts.maxAge ?? 0}`);
      ctx.set('ETag', asset.etag);
      if (ctx.get('if-none-match') === asset.etag) {
        ctx.status = 304;
        return;
      }
      ctx.type = asset.type;
      ctx.body = asset.body;
    });
  };

  const { distDir, demoDir } = deps.paths;
  const js = 'application/javascript; charset=utf-8';
  serve('/widget.js', path.join(distDir, 'widget/widget.js'), js, { cors: true, maxAge: 300 });
  serve('/widget-app.js', path.join(distDir, 'widget/widget-app.js'), js, { cors: true, maxAge: 300 });
  serve('/console', path.join(distDir, 'console/index.html'), 'text/html; charset=utf-8');
  serve('/console/console.js', path.join(distDir, 'console/console.js'), js);
  serve('/console/console.css', path.join(distDir, 'console/console.css'), 'text/css; charset=utf-8');
  serve('/', path.join(demoDir, 'index.html'), 'text/html; charset=utf-8', {
    // The page carries the snippet a site owner pastes; point it at wherever this server runs.
    transform: (html) => html.replaceAll('http://localhost:3000', deps.config.PUBLIC_URL),
  });
  return router;
}
