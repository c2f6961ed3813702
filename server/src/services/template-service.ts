/**
 * Turns template keys chosen by the domain into the text a visitor reads: loads the site's
 * templates (cached for TEMPLATE_CACHE_TTL_SECONDS; a save drops them at once in its own process
 * and bumps a version in the shared cache, which the others compare at most once a second — so an
 * edit is live everywhere within about a second, without a cache read per reply), picks a
 * phrasing not used in the previous bot reply, fills variables, picks the language.
 */
import { DEFAULT_TEMPLATES } from '../domain/templates/default-templates.ts';
import { chooseVariant, parseTemplateKey, templateKey } from '../domain/templates/choose-variant.ts';
import type { Locale } from '../domain/templates/detect-locale.ts';
import { renderTemplate, type TemplateVariables } from '../domain/templates/render-template.ts';
import { stableFraction } from '../domain/stable-hash.ts';
import { randomUUID } from 'node:crypto';
import type { ChatStore, Clock, KeyValueCache } from './ports.ts';

type SiteTemplates = Map<string, string[]>; // `${category}:${locale}` → variants

export interface RenderedReply {
  text: string;
  /** Keys of the phrasings used, `WELCOME:ru:0|BILLING:ru:1`, stored on the bot message. */
  templateKey: string;
}

export class TemplateService {
  private readonly cache = new Map<string, { templates: SiteTemplates; expiresAt: number; version: string | null; checkedAt: number }>();

  constructor(
    private readonly store: ChatStore,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
    /** Redis when configured, so a save in one process is seen by all; memory otherwise. */
    private readonly versions: KeyValueCache,
  ) {}

  async render(
    siteId: string,
    keys: string[],
    locale: Locale,
    options: { seed: string; previousKey: string | null; variables: TemplateVariables },
  ): Promise<RenderedReply> {
    const templates = await this.load(siteId);
    const previous = new Map(
      (options.previousKey ?? '')
        .split('|')
        .map(parseTemplateKey)
        .filter((k) => k !== null)
        .map((k) => [`${k.category}:${k.locale}`, k.index] as const),
    );
    const texts: string[] = [];
    const used: string[] = [];
    for (const category of keys) {
      const variants = templates.get(`${category}:${locale}`) ?? DEFAULT_TEMPLATES[category]?.[locale] ?? [];
      if (variants.length === 0) continue;
      const index = chooseVariant(variants.length, stableFraction(`${options.seed}:${category}`), previous.get(`${category}:${locale}`) ?? null);
      texts.push(renderTemplate(variants[index]!, options.variables, FALLBACKS[locale]));
      used.push(templateKey(category, locale, index));
    }
    return { text: texts.join(' '), templateKey: used.join('|') };
  }

  async invalidate(siteId: string): Promise<void> {
    this.cache.delete(siteId);
    await this.versions.set(versionKey(siteId), randomUUID(), VERSION_TTL_SECONDS);
  }

  private async load(siteId: string): Promise<SiteTemplates> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(siteId);
    let version: string | null | undefined;
    if (hit && hit.expiresAt > now) {
      if (now - hit.checkedAt < VERSION_CHECK_EVERY_MS) return hit.templates;
      hit.checkedAt = now;
      version = await this.versions.get(versionKey(siteId));
      if (version === hit.version) return hit.templates;
    }
    // The version is read before the templates: a save racing this read leaves a newer version,
    // so the next check reads again rather than keeping a copy that misses the save.
    if (version === undefined) version = await this.versions.get(versionKey(siteId));
    const rows = await this.store.templates(siteId);
    const templates: SiteTemplates = new Map(rows.map((t) => [`${t.category}:${t.locale}`, t.variants]));
    this.cache.set(siteId, { templates, expiresAt: now + this.ttlSeconds * 1000, version, checkedAt: now });
    return templates;
  }
}

const versionKey = (siteId: string) => `templates-version:${siteId}`;
const VERSION_CHECK_EVERY_MS = 1000;
/** Outlives any cached copy (TEMPLATE_CACHE_TTL_SECONDS is an hour by default). */
const VERSION_TTL_SECONDS = 7 * 24 * 3600;

const FALLBACKS: Record<Locale, TemplateVariables> = {
  ru: { site_name: 'нашего сервиса', visitor_name: '', visitor_email: 'вашу почту', wait_estimate: 'несколько минут', operator_name: '' },
  en: { site_name: 'our service', visitor_name: '', visitor_email: 'your email', wait_estimate: 'a few minutes', operator_name: '' },
};
