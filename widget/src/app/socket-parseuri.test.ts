import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from './socket-parseuri.ts';

// engine.io-client's own parser, as socket.io-client resolves it.
const original = (createRequire(createRequire(import.meta.url).resolve('socket.io-client'))('engine.io-client') as { parse: (uri: string) => Record<string, unknown> }).parse;

/** The fields socket.io-client (url.js, index.js) and engine.io-client (socket.js) read. */
const READ = ['source', 'protocol', 'host', 'port', 'path', 'query', 'queryKey'] as const;
const fields = (parsed: Record<string, unknown>) => Object.fromEntries(READ.map((k) => [k, parsed[k]]));

describe('the URL-based parseuri', () => {
  it('gives socket.io the fields engine.io-client\'s parser gives, for the URLs a widget uses', () => {
    for (const uri of [
      'http://127.0.0.1:3000/visitor',
      'https://chat.example.com/visitor',
      'https://chat.example.com:8443/visitor',
      'http://[::1]:3000/visitor',
      'https://chat.example/socket.io/?EIO=4&transport=websocket',
      'wss://chat.example/visitor',
    ]) {
      expect(fields(parse(uri)), uri).toEqual(fields(original(uri)));
    }
  });

  it('takes a bare host, as engine.io-client does for opts.host', () => {
    expect(parse('chat.example:3000').host).toBe(original('chat.example:3000').host);
  });
});
