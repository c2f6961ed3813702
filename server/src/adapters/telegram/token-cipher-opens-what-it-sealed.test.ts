import { describe, expect, it } from 'vitest';
import { TokenCipher } from './token-cipher.ts';

describe('TokenCipher', () => {
  const token = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11';

  it('opens what it sealed, and the sealed form does not contain the token', () => {
    const cipher = new TokenCipher('a-secret-key-that-is-long-enough-0123456789');
    const sealed = cipher.seal(token);
    expect(sealed).not.toContain('ABC-DEF');
    expect(cipher.open(sealed)).toBe(token);
    expect(cipher.seal(token)).not.toBe(sealed); // a fresh IV each time
  });

  it('cannot open a token sealed under another SECRET_KEY, nor a tampered one', () => {
    const sealed = new TokenCipher('a-secret-key-that-is-long-enough-0123456789').seal(token);
    expect(new TokenCipher('another-secret-key-that-is-long-enough-000').open(sealed)).toBeNull();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('123456:tampered').toString('base64url');
    expect(new TokenCipher('a-secret-key-that-is-long-enough-0123456789').open(parts.join('.'))).toBeNull();
  });
});
