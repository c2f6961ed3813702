import { describe, expect, it } from 'vitest';
import { loopbackAliases } from './loopback-origins.ts';

describe('loopbackAliases', () => {
  it('gives both loopback names of the same scheme and port', () => {
    expect(loopbackAliases('http://localhost:3000')).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
    expect(loopbackAliases('http://127.0.0.1:4123/')).toEqual(['http://localhost:4123', 'http://127.0.0.1:4123']);
    expect(loopbackAliases('https://localhost')).toEqual(['https://localhost', 'https://127.0.0.1']);
  });

  it('leaves any other origin alone', () => {
    expect(loopbackAliases('https://chat.example.com')).toEqual(['https://chat.example.com']);
    expect(loopbackAliases('http://localhost.example:3000')).toEqual(['http://localhost.example:3000']);
  });
});
