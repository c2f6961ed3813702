/** How codes and times read in the console. Unknown codes fall back to a readable form of themselves. */
import type { Author } from '@support-chat/protocol';
import { language, type MessageKey, t } from '../i18n/index.ts';
import { en } from '../i18n/en.ts';

function readable(code: string): string {
  const text = code.toLowerCase().replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function categoryLabel(category: string | null): string {
  if (!category) return t('category.none');
  const key = `category.${category}`;
  return key in en ? t(key as MessageKey) : readable(category);
}

export function confidenceLabel(confidence: number | null): string {
  return confidence === null ? '—' : `${Math.round(confidence * 100)}%`;
}

/** The server's reasons: `complaint`, `human_request×2`, `repeat:BILLING×3`, `low_confidence×3`. */
export function reasonLabel(reason: string | null): string {
  if (!reason) return '—';
  const match = /^([a-z_]+)(?::([A-Z_]+))?(?:×(\d+))?$/.exec(reason);
  if (!match) return reason;
  const [, kind = '', category, times] = match;
  const suffix = times ? ` ×${times}` : '';
  switch (kind) {
    case 'complaint':
      return `${t('reason.complaint')}${suffix}`;
    case 'human_request':
      return `${t('reason.humanRequest')}${suffix}`;
    case 'repeat':
      return `${t('reason.repeat')}${category ? ` (${categoryLabel(category)})` : ''}${suffix}`;
    case 'low_confidence':
      return `${t('reason.lowConfidence')}${suffix}`;
    default:
      return `${readable(kind)}${suffix}`;
  }
}

/** "just now", "4 min", "1 h 5 min", "2 d 3 h" (in the console's language). */
export function waitedLabel(since: string | null, now: number): string {
  if (!since) return '—';
  const minutes = Math.floor(Math.max(0, now - Date.parse(since)) / 60_000);
  if (minutes < 1) return t('time.justNow');
  if (minutes < 60) return t('time.minutes', { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? t('time.hoursMinutes', { h: hours, m: minutes % 60 }) : t('time.hours', { h: hours });
  const days = Math.floor(hours / 24);
  return hours % 24 ? t('time.daysHours', { d: days, h: hours % 24 }) : t('time.days', { d: days });
}

export function timeLabel(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(language(), { hour: '2-digit', minute: '2-digit' });
}

export function authorLabel(author: Author, operatorName?: string | null): string {
  switch (author) {
    case 'visitor':
      return t('author.visitor');
    case 'bot':
      return t('author.bot');
    case 'operator':
      return operatorName || t('author.operator');
    case 'system':
      return t('author.system');
  }
}

/** Who the visitor is, as far as anyone knows: their name, else their email, else their id. */
export function visitorLabel(item: { visitorName: string | null; visitorEmail: string | null; visitorId: string }): string {
  return item.visitorName ?? item.visitorEmail ?? item.visitorId;
}

/** A deployment or site role as the console names it. */
export function roleLabel(role: 'owner' | 'admin' | 'operator'): string {
  return t(`role.${role}`);
}
