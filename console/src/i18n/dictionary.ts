import type { en } from './en.ts';

/** A plural message: one text per CLDR plural category the language uses; `other` is always there. */
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | PluralMessage;
export type MessageKey = keyof typeof en;
/** What every language provides: each English key, a plain text where English has one, plural forms where it has them. */
export type Dictionary = {
  [K in MessageKey]: (typeof en)[K] extends string ? string : PluralMessage;
};
export type Language = 'en' | 'ru';
export const LANGUAGES: readonly Language[] = ['en', 'ru'];
