import { t } from '../i18n/index.ts';

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
  if (variants.length === 0) return t('templates.atLeastOne');
  if (variants.length > TEMPLATE_LIMITS.maxVariants) return t('templates.atMost', { max: TEMPLATE_LIMITS.maxVariants });
  const long = variants.findIndex((v) => v.length > TEMPLATE_LIMITS.maxVariantChars);
  if (long >= 0) return t('templates.tooLong', { n: long + 1, max: TEMPLATE_LIMITS.maxVariantChars });
  return null;
}
