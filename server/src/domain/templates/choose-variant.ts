/**
 * Picks one phrasing of a template. The same variant is not used twice in a row in one
 * conversation (the previous bot reply's key is passed in); otherwise the choice is a stable
 * function of the seed, so tests and replays are repeatable.
 */
export function chooseVariant(variantCount: number, seed: number, previousIndex: number | null): number {
  if (variantCount <= 1) return 0;
  const index = Math.floor(seed * variantCount) % variantCount;
  if (index !== previousIndex) return index;
  return (index + 1) % variantCount;
}

/** Template keys identify a phrasing: `GREETING:ru:2`. */
export function templateKey(category: string, locale: string, index: number): string {
  return `${category}:${locale}:${index}`;
}

export function parseTemplateKey(key: string | null | undefined): { category: string; locale: string; index: number } | null {
  if (!key) return null;
  const [category, locale, index] = key.split(':');
  const n = Number(index);
  if (!category || !locale || !Number.isInteger(n)) return null;
  return { category, locale, index: n };
}
