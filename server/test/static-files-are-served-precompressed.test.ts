/**
 * The static route sends the build's brotli or gzip copy by the request's Accept-Encoding
 * (q-values respected, brotli preferred on a tie), always with `Vary: Accept-Encoding`, a short
 * cache for the loader site owners paste and a year for the content-hashed app. Real HTTP on a
 * loopback port against a dist folder laid out as `pnpm build` leaves it.
 */
import Koa from 'koa';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticRoutes } from '../src/http/routes/static-files.ts';

const LOADER = `(()=>{import("http://127.0.0.1/widget-app-Abc123_-.js")})();${'/* padding so compression pays */'.repeat(40)}`;
const APP = `export const mount=()=>({});${'/* the app */'.repeat(200)}`;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body decoded by its Content-Encoding. */
  text: string;
}

describe.each(['production', 'development'] as const)('static files (%s)', (NODE_ENV) => {
  let dir: string;
  let server: Server;
  let base: string;

  const get = (pathname: string, headers: Record<string, string> = {}) =>
    new Promise<Reply>((resolve, reject) => {
      request(`${base}${pathname}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const coding = res.headers['content-encoding'];
          const body = coding === 'br' ? brotliDecompressSync(raw) : coding === 'gzip' ? gunzipSync(raw) : raw;
          resolve({ status: res.statusCode!, headers: res.headers, text: body.toString('utf8') });
        });
      })
        .on('error', reject)
        .end();
    });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'static-files-'));
    const widget = path.join(dir, 'dist', 'widget');
    await mkdir(widget, { recursive: true });
    await mkdir(path.join(dir, 'demo'));
    for (const [name, text] of [['widget.js', LOADER], ['widget-app-Abc123_-.js', APP]] as const) {
      await writeFile(path.join(widget, name), text);
      await writeFile(path.join(widget, `${name}.br`), brotliCompressSync(text));
      await writeFile(path.join(widget, `${name}.gz`), gzipSync(text));
    }
    await writeFile(path.join(dir, 'demo', 'index.html'), '<script async src="http://localhost:3000/widget.js"></script>');
    const app = new Koa();
    const router = staticRoutes({
      config: { NODE_ENV, PUBLIC_URL: 'http://chat.test' } as Parameters<typeof staticRoutes>[0]['config'],
      paths: { distDir: path.join(dir, 'dist'), demoDir: path.join(dir, 'demo') },
    });
    app.use(router.routes());
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['gzip, deflate, br, zstd', 'br'], // Chromium's header: brotli although gzip comes first
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['gzip;q=0.8, br;q=0.9', 'br'],
    ['br;q=0, gzip;q=0', undefined],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['identity', undefined],
    ['', undefined],
  ])('Accept-Encoding "%s" gets %s', async (accept, coding) => {
    const res = await get('/widget.js', accept ? { 'Accept-Encoding': accept } : {});
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(coding);
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.text).toBe(LOADER);
  });

  it('keeps the loader for minutes and the content-hashed app for a year, both importable cross-origin', async () => {
    const loader = await get('/widget.js', { 'Accept-Encoding': 'br' });
    expect(loader.headers['cache-control']).toBe('public, max-age=300, must-revalidate');
    expect(loader.headers['access-control-allow-origin']).toBe('*');

    const app = await get('/widget-app-Abc123_-.js', { 'Accept-Encoding': 'gzip, br' });
    expect(app.status).toBe(200);
    expect(app.headers['content-encoding']).toBe('br');
    expect(app.headers.vary).toMatch(/accept-encoding/i);
    expect(app.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(app.headers['access-control-allow-origin']).toBe('*');
    expect(app.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(app.text).toBe(APP);
  });

  it('gives each encoding its own ETag and answers a matching If-None-Match with 304', async () => {
    const br = await get('/widget.js', { 'Accept-Encoding': 'br' });
    const gzip = await get('/widget.js', { 'Accept-Encoding': 'gzip' });
    const identity = await get('/widget.js');
    const etags = [br, gzip, identity].map((r) => r.headers.etag);
    expect(new Set(etags).size).toBe(3);

    const again = await get('/widget.js', { 'Accept-Encoding': 'gzip', 'If-None-Match': gzip.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.headers.vary).toMatch(/accept-encoding/i);
    // A cached brotli copy does not validate a request that will get gzip.
    const other = await get('/widget.js', { 'Accept-Encoding': 'gzip', 'If-None-Match': br.headers.etag! });
    expect(other.status).toBe(200);
    expect(other.headers['content-encoding']).toBe('gzip');
  });

  it('answers 404 for an app build that is not on disk or a name that is not a hash', async () => {
    expect((await get('/widget-app-Zzz999.js')).status).toBe(404);
    expect((await get('/widget-app-..%2Fwidget.js')).status).toBe(404);
  });

  it('serves the demo page uncompressed with the snippet pointed at this server', async () => {
    const page = await get('/', { 'Accept-Encoding': 'br, gzip' });
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBeUndefined();
    expect(page.text).toContain('src="http://chat.test/widget.js"');
  });
});
