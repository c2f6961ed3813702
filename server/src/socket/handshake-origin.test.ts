import { describe, expect, it } from 'vitest';
import { handshakeOrigin } from './handshake-origin.ts';

const plain = { trustProxy: false };
const proxied = { trustProxy: true };

describe('handshakeOrigin', () => {
  it('is the Origin header whenever there is one', () => {
    expect(handshakeOrigin({ headers: { origin: 'https://shop.example', host: 'chat.example', 'sec-fetch-site': 'same-origin' }, secure: false }, plain)).toBe('https://shop.example');
  });

  it('is the host the request went to for a same-origin browser request without Origin', () => {
    expect(handshakeOrigin({ headers: { host: 'chat.example:3000', 'sec-fetch-site': 'same-origin' }, secure: false }, plain)).toBe('http://chat.example:3000');
    expect(handshakeOrigin({ headers: { host: 'chat.example', 'sec-fetch-site': 'same-origin' }, secure: true }, plain)).toBe('https://chat.example');
  });

  it('takes https from X-Forwarded-Proto only behind a trusted proxy', () => {
    const headers = { host: 'chat.example', 'sec-fetch-site': 'same-origin', 'x-forwarded-proto': 'https' };
    expect(handshakeOrigin({ headers, secure: false }, proxied)).toBe('https://chat.example');
    expect(handshakeOrigin({ headers, secure: false }, plain)).toBe('http://chat.example');
  });

  it('is undefined for anything else without Origin: no browser page sent it', () => {
    expect(handshakeOrigin({ headers: { host: 'chat.example' }, secure: false }, plain)).toBeUndefined();
    expect(handshakeOrigin({ headers: { host: 'chat.example', 'sec-fetch-site': 'cross-site' }, secure: false }, plain)).toBeUndefined();
    expect(handshakeOrigin({ headers: { 'sec-fetch-site': 'same-origin' }, secure: false }, plain)).toBeUndefined();
  });
});
