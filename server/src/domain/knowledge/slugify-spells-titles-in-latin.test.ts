import { describe, expect, it } from 'vitest';
import { SLUG_MAX_CHARS, slugify } from './slug.ts';

describe('slugify', () => {
  it('spells a Russian title in Latin letters, kebab-case', () => {
    expect(slugify('Как оплатить через СБП?')).toBe('kak-oplatit-cherez-sbp');
  });

  it('keeps Latin letters and digits', () => {
    expect(slugify('  Static IP & port 8080 ')).toBe('static-ip-port-8080');
  });

  it('never gives an empty or overlong slug', () => {
    expect(slugify('!!!')).toBe('article');
    expect(slugify('очень '.repeat(40)).length).toBeLessThanOrEqual(SLUG_MAX_CHARS);
  });
});
