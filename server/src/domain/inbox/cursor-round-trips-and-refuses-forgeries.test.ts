import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.ts';

describe('inbox cursor', () => {
  it('round-trips the order key to the millisecond', () => {
    const key = { createdAt: new Date('2026-12-01T10:11:12.345Z'), id: 'b7d0c1e2-0000-4000-8000-000000000001' };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
    expect(decodeCursor(encodeCursor({ createdAt: key.createdAt.toISOString(), id: key.id }))).toEqual(key);
  });

  it('refuses what it did not make', () => {
    for (const bad of ['', 'not base64 json', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('["yesterday","x"]').toString('base64url'), Buffer.from('["2026-12-01T00:00:00Z",""]').toString('base64url')]) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });
});
