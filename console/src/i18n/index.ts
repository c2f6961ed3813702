/**
 * The console's languages (English, Russian). A typed dictionary and Intl.PluralRules rather than an i18n
 * library: a few hundred strings in two languages need interpolation and plural forms, nothing more, and a
 * missing Russian key is caught by the type checker (see `dictionary.ts`), which runtime-loaded catalogs can't do.
 *
 * The language is the operator's choice (the header's switch, kept in localStorage), by default the first of
 * the browser's languages the console speaks, else English. `<html lang>` follows it.
 */
import type { Dictionary, Language, MessageKey } from './dictionary.ts';
import { LANGUAGES } from './dictionary.ts';
import { en } from './en.ts';
import { ru } from './ru.ts';

export type { Language, MessageKey } from './dictionary.ts';
export { LANGUAGES } from './dictionary.ts';

const DICTIONARIES: Record<Language, Dictionary> = { en, ru };
const STORAGE_KEY = 'support-console:language';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The first of the browser's languages the console speaks (`ru-RU` → ru), else English. */
export function browserLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

function initialLanguage(): Language {
  let stored: string | null = null;
  try {
    stored = storage()?.getItem(STORAGE_KEY) ?? null;
  } catch {
    /* storage refused: fall through to the browser's */
  }
  if (isLanguage(stored)) return stored;
  const nav = typeof navigator === 'undefined' ? undefined : navigator;
  return browserLanguage(nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : []);
}

let current: Language = initialLanguage();
const listeners = new Set<(language: Language) => void>();
const pluralRules = new Map<Language, Intl.PluralRules>();

function syncDocument(): void {
  if (typeof document !== 'undefined') document.documentElement.lang = current;
}
syncDocument();

export function language(): Language {
  return current;
}

/** The operator's choice: remembered for this browser, applied at once (listeners re-render the console). */
export function setLanguage(next: Language): void {
  if (next === current) return;
  current = next;
  try {
    storage()?.setItem(STORAGE_KEY, next);
  } catch {
    /* this page still switches */
  }
  syncDocument();
  for (const listener of listeners) listener(next);
}

export function onLanguageChange(listener: (language: Language) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function plural(lang: Language, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang);
    pluralRules.set(lang, rules);
  }
  return rules.select(count);
}

/**
 * The message for `key` in the current language, with `{name}` replaced by `vars.name`. A plural message picks its
 * form by `vars.count`. A text missing at run time (a stale stored dictionary, a form a language lacks) falls back to English.
 */
export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  return translate(current, key, vars);
}

export function translate(lang: Language, key: MessageKey, vars?: Record<string, string | number>): string {
  const message = DICTIONARIES[lang][key] ?? en[key];
  let text: string;
  if (typeof message === 'string') {
    text = message;
  } else {
    const count = Number(vars?.count ?? 0);
    const form = plural(lang, count);
    text = message[form] ?? message.other;
  }
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
