/** The template editor's text: one variant per line, checked against the server's limits before saving. */

/** `templates:save` accepts 1..20 variants of at most 2000 characters. */
export const TEMPLATE_LIMITS = { maxVariants: 20, maxVariantChars: 2000 } as const;

export function parseVariants(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** Why these variants cannot be saved, or null. */
export function checkVariants(variants: readonly string[]): string | null {
  if (variants.length === 0) return 'Write at least one variant';
  if (variants.length > TEMPLATE_LIMITS.maxVariants) return `At most ${TEMPLATE_LIMITS.maxVariants} variants`;
  const long = variants.findIndex((v) => v.length > TEMPLATE_LIMITS.maxVariantChars);
  if (long >= 0) return `Variant ${long + 1} is longer than ${TEMPLATE_LIMITS.maxVariantChars} characters`;
  return null;
}
