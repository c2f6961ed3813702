import type { LocalizedText, PublicWidgetSettings } from '@support-chat/protocol';

/**
 * `GET /api/widget/settings?site=KEY`, once per page load. A plain fetch: the browser's HTTP
 * cache (max-age, then ETag revalidation) decides whether it reaches the server. Null when the
 * site has no settings for this page (404, refused by CORS) or the network fails: the widget
 * keeps its built-in look, and the socket says why if the chat is not available here.
 */
export const fetchSettings = (origin: string, site: string): Promise<PublicWidgetSettings | null> =>
  fetch(`${origin}/api/widget/settings?site=${encodeURIComponent(site)}`)
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null);

/** The page language's text (`en-GB` → `en`), else the site's default locale's, else any; '' when there is none. */
export function localized(text: LocalizedText | undefined, lang: string, locale: string): string {
  if (!text) return '';
  return text[lang.toLowerCase().split('-')[0]!] || text[locale] || Object.values(text).find(Boolean) || '';
}

/** The header's image source: an http(s) URL only ('' otherwise) — the server vets it, but a `javascript:` or `data:` source never reaches the page. */
export const avatarSrc = (url: string | null | undefined): string => (url && /^https?:\/\//i.test(url) ? url : '');
