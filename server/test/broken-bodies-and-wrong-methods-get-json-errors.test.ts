/**
 * Every refusal is in the one JSON error shape, including the ones Koa and its router answer by
 * themselves: a body that does not decode as its Content-Encoding says is a 400 (not a 500), an
 * unknown coding a 415, a known path with the wrong method a 405 that still says `Allow`, an
 * unknown method a 501. A well-compressed body is read as usual.
 */
import { randomUUID } from 'node:crypto';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.ts';

const json = JSON.stringify({ client_id: 'user-1', content: 'Здравствуйте, какие у вас тарифы?' });

describe('error shape of body decoding and methods', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('embedded');
  });
  afterAll(() => server?.stop());

  const post = (encoding: string, body: BodyInit) =>
    fetch(`${server.url}/api/messages/`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body });

  it.each(['gzip', 'br', 'deflate'])('a body that is not %s as it claims is 400 bad_request', async (encoding) => {
    const res = await post(encoding, `not ${encoding} at all ${json}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'bad_request', message: 'The request body does not decode as its Content-Encoding says' } });
  });

  it('a truncated gzip body is 400 too', async () => {
    const res = await post('gzip', new Uint8Array(gzipSync(json).subarray(0, 20)));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
  });

  it('an unknown coding is 415 in the JSON shape', async () => {
    const res = await post('zstd-or-whatever', json);
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ error: { code: 'unsupported_media_type', message: expect.any(String) } });
  });

  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
  ] as const)('a real %s body is read as usual', async (encoding, compress) => {
    const res = await post(encoding, new Uint8Array(compress(JSON.stringify({ client_id: `user-${randomUUID()}`, content: 'Здравствуйте, какие у вас тарифы?' }))));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { message_id: string }).message_id).toBeTruthy();
  });

  it('a wrong method on a known path is 405 in the JSON shape, with Allow', async () => {
    for (const [method, path] of [['PUT', '/api/messages/'], ['DELETE', '/health'], ['POST', '/metrics']] as const) {
      const res = await fetch(`${server.url}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('allow')).toBeTruthy();
      expect(await res.json()).toEqual({ error: { code: 'method_not_allowed', message: `${method} is not allowed on ${path}` } });
    }
    expect((await fetch(`${server.url}/api/messages/`, { method: 'PUT' })).headers.get('allow')).toContain('POST');
  });

  it('an unknown method is 501 in the JSON shape', async () => {
    const res = await fetch(`${server.url}/health`, { method: 'PROPFIND' });
    expect(res.status).toBe(501);
    expect(await res.json()).toEqual({ error: { code: 'not_implemented', message: 'PROPFIND is not supported' } });
  });
});
