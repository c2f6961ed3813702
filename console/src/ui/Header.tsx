import { MAX_CONVERSATIONS_LIMIT, type Availability, type OperatorProfile, type SiteDto } from '@support-chat/protocol';
import { type MessageKey, t } from '../i18n/index.ts';
import type { ConnectionStatus } from '../state/console-state.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

export type View = 'conversations' | 'canned' | 'templates' | 'apikeys' | 'knowledge' | 'sites' | 'audit' | 'profile' | 'analytics';

export interface HeaderProps {
  operator: OperatorProfile;
  connection: ConnectionStatus;
  operatorsOnline: number | null;
  view: View;
  onView: (view: View) => void;
  onLogout: () => void;
  /** The sites the operator may pick; the picker shows when there are several. */
  sites: SiteDto[];
  siteKey: string | undefined;
  onSite: (siteKey: string) => void;
  /** An owner, or an admin of the picked site. */
  isAdmin: boolean;
  /** An owner, or an admin of some site: the Sites tab. */
  canManageSites: boolean;
  /** The operator changes its availability or capacity; resolves with an error text or null. */
  onAvailability: (changes: { availability?: Availability; maxConversations?: number }) => Promise<string | null>;
}

const CONNECTION_LABELS: Record<ConnectionStatus, MessageKey> = {
  connecting: 'header.connecting',
  online: 'header.online',
  offline: 'header.offline',
};

export function Header({ operator, connection, operatorsOnline, view, onView, onLogout, sites, siteKey, onSite, isAdmin, canManageSites, onAvailability }: HeaderProps) {
  return (
    <header class="topbar">
      <span class="brand">{t('app.title')}</span>
      {sites.length > 1 && (
        <label class="site-picker">
          <span class="sr-only">{t('header.site')}</span>
          <select aria-label={t('header.site')} value={siteKey} onChange={(e) => onSite(e.currentTarget.value)}>
            {sites.map((s) => (
              <option key={s.key} value={s.key}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {/* Every operator reads the knowledge base; templates and API keys are admins' alone. */}
      <nav class="views" aria-label={t('header.sections')}>
        <button type="button" class="tab" aria-pressed={view === 'conversations'} onClick={() => onView('conversations')}>
          {t('header.conversations')}
        </button>
        <button type="button" class="tab" aria-pressed={view === 'canned'} onClick={() => onView('canned')}>
          {t('header.canned')}
        </button>
        {isAdmin && (
          <>
            <button type="button" class="tab" aria-pressed={view === 'templates'} onClick={() => onView('templates')}>
              {t('header.templates')}
            </button>
            <button type="button" class="tab" aria-pressed={view === 'apikeys'} onClick={() => onView('apikeys')}>
              {t('header.apiKeys')}
            </button>
            <button type="button" class="tab" aria-pressed={view === 'audit'} onClick={() => onView('audit')}>
              {t('header.audit')}
            </button>
          </>
        )}
        <button type="button" class="tab" aria-pressed={view === 'knowledge'} onClick={() => onView('knowledge')}>
          {t('header.knowledge')}
        </button>
        <button type="button" class="tab" aria-pressed={view === 'analytics'} onClick={() => onView('analytics')}>
          {t('header.analytics')}
        </button>
        {canManageSites && (
          <button type="button" class="tab" aria-pressed={view === 'sites'} onClick={() => onView('sites')}>
            {t('header.sites')}
          </button>
        )}
        <button type="button" class="tab" aria-pressed={view === 'profile'} onClick={() => onView('profile')}>
          {t('header.profile')}
        </button>
      </nav>
      <span class="spacer" />
      <span class={`connection ${connection}`} role="status" data-testid="connection">
        <span class="dot" aria-hidden="true" />
        {t(CONNECTION_LABELS[connection])}
      </span>
      {operatorsOnline !== null && (
        <span class="online" data-testid="operators-online">
          {t('header.operatorsOnline', { count: operatorsOnline })}
        </span>
      )}
      <label class={`availability ${operator.availability}`} title={t('header.availabilityHint')}>
        <span class="sr-only">{t('header.availability')}</span>
        <select aria-label={t('header.availability')} data-testid="availability" value={operator.availability} onChange={(e) => void onAvailability({ availability: e.currentTarget.value as Availability })}>
          <option value="online">{t('header.availableOnline')}</option>
          <option value="away">{t('header.availableAway')}</option>
        </select>
      </label>
      <label class="capacity" title={t('header.maxHint')}>
        <span class="small muted">{t('header.max')}</span>
        <input
          type="number"
          aria-label={t('header.maxLabel')}
          min={1}
          max={MAX_CONVERSATIONS_LIMIT}
          value={operator.maxConversations}
          onChange={(e) => {
            const value = Number(e.currentTarget.value);
            if (Number.isInteger(value) && value >= 1 && value <= MAX_CONVERSATIONS_LIMIT) void onAvailability({ maxConversations: value });
          }}
        />
      </label>
      <span class="me" title={operator.email}>
        {operator.name}
        {isAdmin && <span class="role">{operator.role === 'owner' ? t('header.owner') : t('header.admin')}</span>}
      </span>
      <LanguageSwitch />
      <button type="button" class="quiet" onClick={onLogout}>
        {t('header.logout')}
      </button>
    </header>
  );
}
