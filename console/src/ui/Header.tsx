import type { OperatorProfile } from '@support-chat/protocol';
import type { ConnectionStatus } from '../state/console-state.ts';

export type View = 'conversations' | 'templates' | 'apikeys' | 'knowledge';

export interface HeaderProps {
  operator: OperatorProfile;
  connection: ConnectionStatus;
  operatorsOnline: number | null;
  view: View;
  onView: (view: View) => void;
  onLogout: () => void;
}

const CONNECTION_LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  online: 'Connected',
  offline: 'Reconnecting…',
};

export function Header({ operator, connection, operatorsOnline, view, onView, onLogout }: HeaderProps) {
  const isAdmin = operator.role === 'owner' || operator.sites[0]?.role === 'admin';
  return (
    <header class="topbar">
      <span class="brand">Support console</span>
      {/* Every operator reads the knowledge base; templates and API keys are admins' alone. */}
      <nav class="views" aria-label="Sections">
        <button type="button" class="tab" aria-pressed={view === 'conversations'} onClick={() => onView('conversations')}>
          Conversations
        </button>
        {isAdmin && (
          <>
            <button type="button" class="tab" aria-pressed={view === 'templates'} onClick={() => onView('templates')}>
              Templates
            </button>
            <button type="button" class="tab" aria-pressed={view === 'apikeys'} onClick={() => onView('apikeys')}>
              API keys
            </button>
          </>
        )}
        <button type="button" class="tab" aria-pressed={view === 'knowledge'} onClick={() => onView('knowledge')}>
          Knowledge
        </button>
      </nav>
      <span class="spacer" />
      <span class={`connection ${connection}`} role="status" data-testid="connection">
        <span class="dot" aria-hidden="true" />
        {CONNECTION_LABELS[connection]}
      </span>
      {operatorsOnline !== null && (
        <span class="online" data-testid="operators-online">
          {operatorsOnline === 1 ? '1 operator online' : `${operatorsOnline} operators online`}
        </span>
      )}
      <span class="me" title={operator.email}>
        {operator.name}
        {isAdmin && <span class="role">{operator.role === 'owner' ? 'owner' : 'admin'}</span>}
      </span>
      <button type="button" class="quiet" onClick={onLogout}>
        Log out
      </button>
    </header>
  );
}
