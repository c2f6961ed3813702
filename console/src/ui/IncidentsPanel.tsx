import type { IncidentDto } from '@support-chat/protocol';
import { useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { timeLabel } from './format.ts';

export interface IncidentsPanelProps {
  incidents: IncidentDto[];
  /** Resolves with an error message, or null when the incident was resolved. */
  onResolve: (incidentId: string, message: string) => Promise<string | null>;
}

export function IncidentsPanel({ incidents, onResolve }: IncidentsPanelProps) {
  return (
    <section class="panel incidents" aria-labelledby="incidents-title">
      <h2 id="incidents-title">
        {t('incidents.title')} <span class={`count${incidents.length ? ' alert' : ''}`}>{incidents.length}</span>
      </h2>
      {incidents.length === 0 ? (
        <p class="muted pad">{t('incidents.none')}</p>
      ) : (
        <ul class="rows">
          {incidents.map((incident) => (
            <IncidentCard key={incident.id} incident={incident} onResolve={onResolve} />
          ))}
        </ul>
      )}
    </section>
  );
}

function IncidentCard({ incident, onResolve }: { incident: IncidentDto; onResolve: IncidentsPanelProps['onResolve'] }) {
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fieldId = `incident-${incident.id}`;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!message.trim()) {
      setError(t('incidents.messageMissing'));
      return;
    }
    setBusy(true);
    setError(null);
    const failed = await onResolve(incident.id, message.trim());
    // On success the card disappears with the incident.
    if (failed) {
      setError(failed);
      setBusy(false);
    }
  };

  return (
    <li class="incident" data-testid="incident">
      <p class="incident-title">
        <span class="badge outage">{t('incidents.massOutage')}</span>
        <span>{t('incidents.site', { site: incident.siteKey })}</span>
      </p>
      <p class="muted small">
        {t('incidents.since', { time: timeLabel(incident.createdAt) })} ·{' '}
        {t('incidents.conversations', { count: incident.linkedConversations })}
      </p>
      <form onSubmit={submit}>
        <label class="field" for={fieldId}>
          <span>{t('incidents.message')}</span>
        </label>
        <textarea id={fieldId} rows={2} value={message} onInput={(e) => setMessage(e.currentTarget.value)} />
        {error && (
          <p class="notice error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t('incidents.resolving') : t('incidents.resolve')}
        </button>
      </form>
    </li>
  );
}
