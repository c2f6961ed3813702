/**
 * The site's numbers of a period: conversations, deflection, escalations by reason, first-response
 * and resolution times (median, p90), CSAT and busiest hours. The charts' library is loaded only
 * when this tab opens (a dynamic import), so the console's first load does not carry it.
 */
import type { AnalyticsDto } from '@support-chat/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';
import { durationLabel, percentLabel } from './analytics-format.ts';
import { reasonLabel } from './format.ts';
import { t } from '../i18n/index.ts';
import { refusalText } from '../i18n/refusals.ts';

const DAY_MS = 86_400_000;
const PERIODS = [7, 30, 90] as const;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function AnalyticsPanel({ socket, siteKey }: { socket: OperatorSocket; siteKey: string | undefined }) {
  // The period is whole days: from the first day's start to the day after the last (UTC dates).
  const [to, setTo] = useState(() => isoDay(new Date()));
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 29 * DAY_MS)));
  const [data, setData] = useState<AnalyticsDto | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const end = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS).toISOString();
    void request(socket, 'analytics:get', { siteKey, from: `${from}T00:00:00Z`, to: end, timeZone: localZone() }).then((res) => {
      if (!live) return;
      setError(res.ok ? null : refusalText(res.error));
      setData(res.ok ? res.data : null);
    });
    return () => {
      live = false;
    };
  }, [socket, siteKey, from, to]);

  const last = (days: number) => () => {
    setTo(isoDay(new Date()));
    setFrom(isoDay(new Date(Date.now() - (days - 1) * DAY_MS)));
  };

  return (
    <section class="panel analytics" aria-labelledby="analytics-title">
      <h2 id="analytics-title">{t('analytics.title')}</h2>
      <form class="period" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('analytics.from')} <input type="date" name="from" value={from} max={to} onChange={(e) => e.currentTarget.value && setFrom(e.currentTarget.value)} />
        </label>
        <label>
          {t('analytics.to')} <input type="date" name="to" value={to} min={from} onChange={(e) => e.currentTarget.value && setTo(e.currentTarget.value)} />
        </label>
        {PERIODS.map((days) => (
          <button key={days} type="button" class="quiet" onClick={last(days)}>
            {t('analytics.lastDays', { count: days })}
          </button>
        ))}
      </form>
      {error && <p class="notice error">{error}</p>}
      {data && <Figures data={data} />}
    </section>
  );
}

function Figures({ data }: { data: AnalyticsDto }) {
  const reasons = Object.entries(data.escalationsByReason).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const escalated = reasons.reduce((sum, [, n]) => sum + n, 0);
  return (
    <div class="analytics-body" data-testid="analytics">
      <dl class="figures">
        <Figure label={t('analytics.conversations')} value={String(data.conversations)} id="conversations" />
        <Figure label={t('analytics.botAlone')} value={percentLabel(data.deflectionRate)} note={t('analytics.ofTotal', { part: data.botOnly, total: data.conversations })} id="deflection" />
        <Figure label={t('analytics.handedOver')} value={String(escalated)} id="escalations" />
        <Figure label={t('analytics.firstResponse')} value={durationLabel(data.firstResponse.medianSeconds)} note={`p90 ${durationLabel(data.firstResponse.p90Seconds)}`} id="first-response" />
        <Figure label={t('analytics.resolution')} value={durationLabel(data.resolution.medianSeconds)} note={`p90 ${durationLabel(data.resolution.p90Seconds)}`} id="resolution" />
        <Figure label="CSAT" value={data.csat.average === null ? '—' : `${data.csat.average.toFixed(2)} / 5`} note={t('analytics.ratingsCount', { count: data.csat.count })} id="csat" />
      </dl>
      <div class="charts">
        <Chart title={t('analytics.byReason')} labels={reasons.map(([r]) => reasonLabel(r))} values={reasons.map(([, n]) => n)} id="reasons" />
        <Chart title={t('analytics.ratings')} labels={['1', '2', '3', '4', '5']} values={(['1', '2', '3', '4', '5'] as const).map((k) => data.csat.distribution[k])} id="csat" />
        <Chart title={t('analytics.byHour', { zone: data.timeZone })} labels={data.byHour.map((_, h) => String(h))} values={data.byHour} id="hours" />
      </div>
    </div>
  );
}

function Figure({ label, value, note, id }: { label: string; value: string; note?: string; id: string }) {
  return (
    <div class="figure" data-figure={id}>
      <dt>{label}</dt>
      <dd>
        <strong data-testid={`figure-${id}`}>{value}</strong>
        {note && <span class="muted small"> {note}</span>}
      </dd>
    </div>
  );
}

/** A bar chart drawn by the lazily loaded chart module; the numbers are also in a table for screen readers. */
function Chart({ title, labels, values, id }: { title: string; labels: string[]; values: number[]; id: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let dispose: (() => void) | null = null;
    let live = true;
    void import('./bar-chart.ts').then(({ drawBarChart }) => {
      if (live && host.current) dispose = drawBarChart(host.current, labels, values);
    });
    return () => {
      live = false;
      dispose?.();
    };
  }, [labels.join('|'), values.join('|')]);
  return (
    <figure class="chart" data-chart={id}>
      <figcaption>{title}</figcaption>
      {values.length === 0 ? <p class="muted small">{t('analytics.none')}</p> : <div ref={host} class="chart-canvas" />}
      <table class="sr-only">
        <tbody>
          {labels.map((label, i) => (
            <tr key={label}>
              <th>{label}</th>
              <td>{values[i]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
