import { describe, expect, it } from 'vitest';
import { normalize } from './normalize.ts';

describe('normalize: Russian typed on the English layout', () => {
  it('re-types whole messages typed with the wrong layout', () => {
    expect(normalize('ghbdtn')).toBe('привет');
    expect(normalize('bynthytn yt hf,jnftn!')).toBe('интернет не работает');
    expect(normalize('jgthfnjh gj;fkeqcnf')).toBe('оператор пожалуйста');
  });

  it('leaves English and transliterated Russian alone', () => {
    expect(normalize('speed is 20 mbps, not 100')).toBe('speed is 20 mbps not 100');
    expect(normalize('thx, bye')).toBe('thx bye');
    expect(normalize('privet internet ne rabotaet')).toBe('privet internet ne rabotaet');
  });
});
