/**
 * The analytics page's numbers: a site's conversations of a period, for any member of the site.
 * The period is at most a year; hours of the day are counted in the reader's time zone.
 */
import type { AnalyticsDto, AnalyticsQuery, OperatorProfile } from '@support-chat/protocol';
import { canonicalTimeZone } from '../domain/sites/widget-settings.ts';
import { OperatorError } from './operator-errors.ts';
import type { AnalyticsStore } from './ports.ts';
import type { SiteAccess } from './site-access.ts';

const MAX_PERIOD_DAYS = 366;

export class SiteAnalytics {
  constructor(private readonly deps: { analytics: AnalyticsStore; access: SiteAccess }) {}

  async get(query: AnalyticsQuery, operator: Pick<OperatorProfile, 'id'>): Promise<AnalyticsDto> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    const timeZone = canonicalTimeZone(query.timeZone ?? 'UTC');
    if (!timeZone) throw new OperatorError('validation_error', 'timeZone: not an IANA time zone (like Europe/Moscow)');
    if (!(from < to)) throw new OperatorError('validation_error', '`from` must be before `to`');
    if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) throw new OperatorError('validation_error', `a period is at most ${MAX_PERIOD_DAYS} days`);
    const { site } = await this.deps.access.site(operator, query.siteKey, 'member');
    const figures = await this.deps.analytics.analytics(site.id, { from, to, timeZone });
    return { from: from.toISOString(), to: to.toISOString(), timeZone, ...figures };
  }
}
