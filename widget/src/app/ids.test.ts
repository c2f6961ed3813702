import { describe, expect, it, vi } from 'vitest';
import { randomId } from './ids.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomId', () => {
  it('makes a v4 uuid where randomUUID is missing (plain http pages)', () => {
    vi.stubGlobal('crypto', { getRandomValues: (a: Uint8Array) => a.fill(0xab) });
    try {
      expect(randomId()).toMatch(UUID_V4);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(randomId()).toMatch(UUID_V4);
  });
});
