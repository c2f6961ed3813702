/**
 * A site's Telegram bot, for its admins and owners: paste the token from @BotFather, switch the
 * channel on, save. The token is never shown back (only whether one is set); the server checks it
 * with Telegram before keeping it. A bot set by the server's environment is shown read-only.
 */
import type { TelegramSettingsDto } from '@support-chat/protocol';
import { useEffect, useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';
import { t } from '../i18n/index.ts';
import { refusalText } from '../i18n/refusals.ts';

export function TelegramSettings({ socket, siteKey }: { socket: OperatorSocket; siteKey: string }) {
  const [settings, setSettings] = useState<TelegramSettingsDto | null>(null);
  const [token, setToken] = useState('');
  const [enabled, setEnabled] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  useEffect(() => {
    let live = true;
    void request(socket, 'telegram:get', { siteKey }).then((res) => {
      if (!live) return;
      if (!res.ok) return setStatus({ kind: 'error', text: refusalText(res.error) });
      setSettings(res.data);
      setEnabled(res.data.enabled);
    });
    return () => {
      live = false;
    };
  }, [socket, siteKey]);

  const save = async (e: Event, change: { botToken?: string | null; enabled?: boolean }) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setStatus(null);
    const res = await request(socket, 'telegram:update', { siteKey, ...change });
    setBusy(false);
    if (!res.ok) return setStatus({ kind: 'error', text: refusalText(res.error) });
    setSettings(res.data);
    setEnabled(res.data.enabled);
    setToken('');
    setStatus({ kind: 'ok', text: res.data.configured && res.data.enabled ? t('telegram.on', { mode: res.data.mode }) : t('common.saved') });
  };

  const fixed = settings?.fromEnvironment ?? false;
  return (
    <section class="panel" aria-labelledby="telegram-title">
      <h2 id="telegram-title">Telegram</h2>
      <div class="sites-body">
        {settings && (
          <p class="muted small" data-testid="telegram-state">
            {fixed ? t('telegram.fromEnv') : settings.configured ? t('telegram.tokenSet') : t('telegram.noBot')}
            {' · '}
            {settings.enabled ? t('telegram.stateOn') : t('telegram.stateOff')} · {settings.mode}
          </p>
        )}
        {!fixed && (
          <form class="form-bar" aria-label={t('telegram.form')} onSubmit={(e) => save(e, { ...(token.trim() ? { botToken: token.trim() } : {}), enabled })}>
            <label class="field grow">
              <span>{t('telegram.token')}</span>
              <input
                type="password"
                autocomplete="off"
                value={token}
                placeholder={settings?.configured ? t('telegram.tokenReplace') : '123456789:AA…'}
                onInput={(e) => setToken(e.currentTarget.value)}
              />
            </label>
            <label class="field">
              <span>{t('common.enabled')}</span>
              <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
            </label>
            <button type="submit" class="primary" disabled={busy}>
              {busy ? t('common.saving') : t('common.save')}
            </button>
            {settings?.configured && (
              <button type="button" class="quiet" disabled={busy} onClick={(e) => confirm(t('telegram.removeConfirm')) && save(e, { botToken: null, enabled: false })}>
                {t('telegram.remove')}
              </button>
            )}
          </form>
        )}
        {status && (
          <p class={`notice ${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'}>
            {status.text}
          </p>
        )}
      </div>
    </section>
  );
}
