/**
 * FNV-1a over a string, mapped to [0, 1). Used wherever the domain needs "random-looking but
 * repeatable" choices (pacing jitter, template variants) without a random source.
 */
export function stableFraction(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 0x100000000;
}
