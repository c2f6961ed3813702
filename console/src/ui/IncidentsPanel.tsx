import type { IncidentDto } from '@support-chat/protocol';
import { useState } from 'preact/hooks';
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
        Incidents <span class={`count${incidents.length ? ' alert' : ''}`}>{incidents.length}</span>
      </h2>
      {incidents.length === 0 ? (
        <p class="muted pad">No open incidents.</p>
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
      setError('Write what the affected visitors should hear');
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
        <span class="badge outage">Mass outage</span>
        <span>site {incident.siteKey}</span>
      </p>
      <p class="muted small">
        Since {timeLabel(incident.createdAt)} · {incident.linkedConversations}{' '}
        {incident.linkedConversations === 1 ? 'conversation' : 'conversations'}
      </p>
      <form onSubmit={submit}>
        <label class="field" for={fieldId}>
          <span>Message to affected visitors</span>
        </label>
        <textarea id={fieldId} rows={2} value={message} onInput={(e) => setMessage(e.currentTarget.value)} />
        {error && (
          <p class="notice error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Resolving…' : 'Resolve incident'}
        </button>
      </form>
    </li>
  );
}
