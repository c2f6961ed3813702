import { describe, expect, it } from 'vitest';
import { checkVariants, parseVariants } from './template-variants.ts';

describe('template variants', () => {
  it('one variant per non-empty line, trimmed', () => {
    expect(parseVariants('  Hello!  \n\n Hi {{site_name}}\n   \n')).toEqual(['Hello!', 'Hi {{site_name}}']);
  });

  it('refuses what the server would refuse', () => {
    expect(checkVariants([])).toMatch(/at least one/);
    expect(checkVariants(Array.from({ length: 21 }, (_, i) => `v${i}`))).toMatch(/At most 20/);
    expect(checkVariants(['ok', 'x'.repeat(2001)])).toMatch(/Variant 2/);
    expect(checkVariants(['ok'])).toBeNull();
  });
});
