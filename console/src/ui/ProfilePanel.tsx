/**
 * The operator's own public profile: the display name and avatar visitors see on their messages
 * and on the "operator joined" notice. Without a display name visitors see "Operator" — never the
 * account's name or email.
 */
import { LIMITS, type OperatorProfile } from '@support-chat/protocol';
import { useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';
import { t } from '../i18n/index.ts';
import { refusalText } from '../i18n/refusals.ts';

export function ProfilePanel({ socket, operator, onSaved }: { socket: OperatorSocket; operator: OperatorProfile; onSaved: (profile: OperatorProfile) => void }) {
  const [displayName, setDisplayName] = useState(operator.displayName ?? '');
  const [avatarUrl, setAvatarUrl] = useState(operator.avatarUrl ?? '');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setStatus(null);
    const res = await request(socket, 'operator:profile:update', { displayName: displayName.trim(), avatarUrl: avatarUrl.trim() });
    setBusy(false);
    if (!res.ok) return setStatus({ kind: 'error', text: refusalText(res.error) });
    onSaved(res.data);
    setStatus({ kind: 'ok', text: t('profile.saved') });
  };

  return (
    <main class="apikeys">
      <section class="panel" aria-labelledby="profile-title">
        <h2 id="profile-title">{t('profile.title')}</h2>
        <form class="apikeys-body" onSubmit={save}>
          <p class="muted small">{t('profile.intro')}</p>
          <label class="field">
            <span>{t('profile.displayName')}</span>
            <input name="displayName" value={displayName} maxLength={LIMITS.operatorDisplayNameMaxChars} placeholder={t('profile.displayNameExample')} onInput={(e) => setDisplayName(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{t('profile.avatarUrl')}</span>
            <input name="avatarUrl" type="url" value={avatarUrl} maxLength={LIMITS.avatarUrlMaxChars} placeholder="https://…" onInput={(e) => setAvatarUrl(e.currentTarget.value)} />
          </label>
          <button type="submit" class="primary" disabled={busy}>
            {t('profile.save')}
          </button>
          {status && (
            <p class={status.kind === 'ok' ? 'ok small' : 'error small'} role="status">
              {status.text}
            </p>
          )}
        </form>
      </section>
    </main>
  );
}
