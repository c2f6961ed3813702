/** The rules a site's own fields obey when the console creates or changes it. */
import { z } from 'zod';

/** The bot's templates exist in these languages. */
export const SITE_LOCALES = ['ru', 'en'] as const;
export const SITE_NAME_MAX_CHARS = 100;
export const ALLOWED_ORIGINS_MAX = 50;

export const siteName = z
  .string()
  .trim()
  .min(1, 'name the site')
  .max(SITE_NAME_MAX_CHARS, `at most ${SITE_NAME_MAX_CHARS} characters`)
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

/** `https://shop.example` or `http://localhost:8080`: scheme, host and port, nothing else (a trailing `/` is dropped). */
export const origin = z
  .string()
  .trim()
  .max(300)
  .transform((value, ctx) => {
    const bare = value.replace(/\/$/, '');
    try {
      const url = new URL(bare);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === bare.toLowerCase()) return url.origin;
    } catch {
      /* reported below */
    }
    ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 100)}" is not an origin like https://shop.example (scheme, host and port only)` });
    return z.NEVER;
  });

export const allowedOrigins = z
  .array(origin)
  .max(ALLOWED_ORIGINS_MAX, `at most ${ALLOWED_ORIGINS_MAX} origins`)
  .transform((origins) => [...new Set(origins)]);

export const siteLocale = z.enum(SITE_LOCALES, { message: `a site's language is one of ${SITE_LOCALES.join(', ')}` });
