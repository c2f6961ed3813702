/**
 * A site's numbers of a period, computed by the database: each figure is one aggregate query over
 * the conversations started in the period (index `Conversation(siteId, createdAt)`); no row is
 * loaded into the process. The same SQL runs on Postgres and on embedded PGlite.
 */
import type { AnalyticsDto, DurationStats } from '@support-chat/protocol';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { AnalyticsStore } from '../../services/ports.ts';

type Figures = Omit<AnalyticsDto, 'from' | 'to' | 'timeZone'>;
interface DurationRow {
  n: number;
  median: number | null;
  p90: number | null;
}

export class PrismaAnalytics implements AnalyticsStore {
  constructor(private readonly db: PrismaClient) {}

  async analytics(siteId: string, { from, to, timeZone }: { from: Date; to: Date; timeZone: string }): Promise<Figures> {
    const { db } = this;
    // The conversations of the period; `c` in every query below.
    const inPeriod = (extra = '') => `FROM "Conversation" c WHERE c."siteId" = $1 AND c."createdAt" >= $2::timestamp AND c."createdAt" < $3::timestamp ${extra}`;
    const args = [siteId, iso(from), iso(to)];
    const [totals, reasons, firstResponse, resolution, ratings, hours] = await Promise.all([
      db.$queryRawUnsafe<{ conversations: number; bot_only: number }[]>(
        `SELECT count(*)::int AS conversations,
                (count(*) FILTER (WHERE c."escalatedAt" IS NULL AND NOT EXISTS (
                  SELECT 1 FROM "Message" m WHERE m."conversationId" = c.id AND m.author = 'OPERATOR')))::int AS bot_only
         ${inPeriod()}`,
        ...args,
      ),
      // `repeat:BILLING×3` → `repeat`: reasons by kind, as /metrics labels them.
      db.$queryRawUnsafe<{ reason: string; n: number }[]>(
        `SELECT regexp_replace(c."escalationReason", '[:×].*$', '') AS reason, count(*)::int AS n
         ${inPeriod('AND c."escalationReason" IS NOT NULL')} GROUP BY 1`,
        ...args,
      ),
      // From the hand-off to the first operator message after it.
      db.$queryRawUnsafe<DurationRow[]>(
        `SELECT count(*)::int AS n, ${percentiles('s')} FROM (
           SELECT EXTRACT(EPOCH FROM (
             (SELECT min(m."createdAt") FROM "Message" m WHERE m."conversationId" = c.id AND m.author = 'OPERATOR' AND m."createdAt" >= c."escalatedAt")
             - c."escalatedAt")) AS s
           ${inPeriod('AND c."escalatedAt" IS NOT NULL')}
         ) t WHERE s IS NOT NULL`,
        ...args,
      ),
      db.$queryRawUnsafe<DurationRow[]>(
        `SELECT count(*)::int AS n, ${percentiles('s')} FROM (
           SELECT EXTRACT(EPOCH FROM (c."resolvedAt" - c."createdAt")) AS s ${inPeriod('AND c."resolvedAt" IS NOT NULL')}
         ) t`,
        ...args,
      ),
      db.$queryRawUnsafe<{ rating: number; n: number }[]>(`SELECT c.rating AS rating, count(*)::int AS n ${inPeriod('AND c.rating IS NOT NULL')} GROUP BY 1`, ...args),
      // Stored times are UTC; the hour is the site's (or the reader's) wall clock.
      db.$queryRawUnsafe<{ hour: number; n: number }[]>(
        `SELECT EXTRACT(HOUR FROM (c."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE $4)::int AS hour, count(*)::int AS n ${inPeriod()} GROUP BY 1`,
        ...args,
        timeZone,
      ),
    ]);

    const { conversations, bot_only: botOnly } = totals[0] ?? { conversations: 0, bot_only: 0 };
    const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
    let rated = 0;
    let sum = 0;
    for (const { rating, n } of ratings) {
      const key = String(rating) as keyof typeof distribution;
      if (!(key in distribution)) continue;
      distribution[key] = n;
      rated += n;
      sum += rating * n;
    }
    const byHour = Array.from({ length: 24 }, () => 0);
    for (const { hour, n } of hours) byHour[hour] = n;
    return {
      conversations,
      botOnly,
      deflectionRate: conversations === 0 ? null : botOnly / conversations,
      escalationsByReason: Object.fromEntries(reasons.map((r) => [r.reason, r.n])),
      firstResponse: duration(firstResponse[0]),
      resolution: duration(resolution[0]),
      csat: { count: rated, average: rated === 0 ? null : Math.round((sum / rated) * 100) / 100, distribution },
      byHour,
    };
  }
}

/** Timestamps are compared as UTC wall-clock values (the columns are `timestamp(3)` in UTC). */
const iso = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '');

const percentiles = (column: string) =>
  `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${column})::float8 AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY ${column})::float8 AS p90`;

const seconds = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

function duration(row: DurationRow | undefined): DurationStats {
  return { count: row?.n ?? 0, medianSeconds: seconds(row?.median ?? null), p90Seconds: seconds(row?.p90 ?? null) };
}
