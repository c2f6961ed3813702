/**
 * A site's widget settings: their defaults and the rules every saved value obeys. Stored as one
 * JSON document per site and read back through `readWidgetSettings`, so a document written by an
 * older version (a field missing) or edited by hand (a bad value) still yields valid settings.
 */
import {
  WEEKDAYS,
  WIDGET_SETTINGS_LIMITS as L,
  type BusinessHours,
  type LocalizedText,
  type WidgetSettings,
} from '@support-chat/protocol';
import { z } from 'zod';
import { minutesOf } from './business-hours.ts';

/** Empty texts mean "the widget's own wording" (its built-in Russian and English strings). */
export const DEFAULT_WIDGET_SETTINGS: WidgetSettings = Object.freeze({
  accentColor: '#1f5fd1',
  position: 'right',
  title: '',
  subtitle: '',
  operatorName: '',
  avatarUrl: null,
  greeting: {},
  launcherLabel: {},
  businessHours: null,
  // What the bot does today when nobody is online: it asks for an address.
  askEmailWhenOffline: true,
}) as WidgetSettings;

/** The zone as Intl names it (`europe/moscow` → `Europe/Moscow`), or null when Intl does not know it. */
export function canonicalTimeZone(zone: string): string | null {
  if (zone.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(zone)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** No NUL or other control characters (they would reach the widget's DOM and the database). */
export const plain = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

/** Multi-line texts (greeting, away message) may hold line breaks, nothing else of Cc. */
const multiline = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .regex(/^[^\u0000-\u0009\u000b-\u001f\u007f]*$/, 'must not contain control characters');

const localized = (max: number) =>
  z
    .record(z.string().regex(/^[a-z]{2,3}$/, 'languages are lower-case codes like ru or en'), multiline(max))
    .refine((texts) => Object.keys(texts).length <= L.localesMax, `at most ${L.localesMax} languages`)
    // An empty text is no text: the widget falls back to another language or its own wording.
    .transform((texts): LocalizedText => Object.fromEntries(Object.entries(texts).filter(([, t]) => t !== '')));

export const httpUrl = z
  .string()
  .trim()
  .max(L.urlMaxChars, `at most ${L.urlMaxChars} characters`)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'must be an http(s) address');

const time = z.string().refine((t) => !Number.isNaN(minutesOf(t)), 'times are HH:MM (00:00–24:00)');

const interval = z
  .object({ open: time, close: time })
  .strict()
  .refine((i) => minutesOf(i.open) < 24 * 60, { message: 'an opening cannot start at 24:00', path: ['open'] })
  .refine((i) => i.open !== i.close && !(i.open === '00:00' && i.close === '00:00'), { message: 'open and close must differ (00:00–24:00 is the whole day)', path: ['close'] });

const businessHours = z
  .object({
    timeZone: z.string().transform((zone, ctx) => {
      const canonical = canonicalTimeZone(zone.trim());
      if (!canonical) {
        ctx.addIssue({ code: 'custom', message: `"${zone.slice(0, 64)}" is not an IANA time zone (like Europe/Moscow)` });
        return z.NEVER;
      }
      return canonical;
    }),
    weekly: z
      .object(Object.fromEntries(WEEKDAYS.map((day) => [day, z.array(interval).max(L.intervalsPerDayMax, `at most ${L.intervalsPerDayMax} openings a day`).optional()])))
      .strict(),
    awayMessage: localized(L.awayMessageMaxChars).default({}),
  })
  .strict() as unknown as z.ZodType<BusinessHours>;

const fields = {
  accentColor: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb')
    .transform((c) => c.toLowerCase()),
  position: z.enum(['left', 'right']),
  title: plain(L.titleMaxChars),
  subtitle: plain(L.subtitleMaxChars),
  operatorName: plain(L.operatorNameMaxChars),
  avatarUrl: httpUrl.nullable(),
  greeting: localized(L.greetingMaxChars),
  launcherLabel: localized(L.launcherLabelMaxChars),
  businessHours: businessHours.nullable(),
  askEmailWhenOffline: z.boolean(),
};

/** What an admin may send: any of the fields, nothing else. */
export const widgetSettingsPatch = z.object(fields).partial().strict();
export type WidgetSettingsPatch = z.infer<typeof widgetSettingsPatch>;

/** The settings with a change applied (fields replace fields; a sent `greeting` replaces the whole greeting). */
export function applyWidgetSettings(current: WidgetSettings, patch: WidgetSettingsPatch): WidgetSettings {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  return { ...current, ...defined } as WidgetSettings;
}

/**
 * Settings from a stored document: every field that is valid is kept, every other one is the
 * default — a bad or missing value costs that field, never the widget.
 */
export function readWidgetSettings(stored: unknown): WidgetSettings {
  const settings: Record<string, unknown> = { ...DEFAULT_WIDGET_SETTINGS };
  if (stored && typeof stored === 'object' && !Array.isArray(stored)) {
    for (const [name, schema] of Object.entries(fields)) {
      const value = (stored as Record<string, unknown>)[name];
      if (value === undefined) continue;
      const parsed = (schema as z.ZodType).safeParse(value);
      if (parsed.success) settings[name] = parsed.data;
    }
  }
  return settings as unknown as WidgetSettings;
}
