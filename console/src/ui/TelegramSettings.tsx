/**
 * A site's Telegram bot, for its admins and owners: paste the token from @BotFather, switch the
 * channel on, save. The token is never shown back (only whether one is set); the server checks it
 * with Telegram before keeping it. A bot set by the server's environment is shown read-only.
 */
import type { TelegramSettingsDto } from '@support-chat/protocol';
import { useEffect, useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';

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
      if (!res.ok) return setStatus({ kind: 'error', text: res.error.message });
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
    if (!res.ok) return setStatus({ kind: 'error', text: res.error.message });
    setSettings(res.data);
    setEnabled(res.data.enabled);
    setToken('');
    setStatus({ kind: 'ok', text: res.data.configured && res.data.enabled ? `The bot is on (${res.data.mode}): write to it in Telegram.` : 'Saved.' });
  };

  const fixed = settings?.fromEnvironment ?? false;
  return (
    <section class="panel" aria-labelledby="telegram-title">
      <h2 id="telegram-title">Telegram</h2>
      <div class="sites-body">
        {settings && (
          <p class="muted small" data-testid="telegram-state">
            {fixed ? "Set by the server's TELEGRAM_BOT_TOKEN" : settings.configured ? 'A bot token is set' : 'No bot yet: create one with @BotFather (/newbot) and paste its token'}
            {' · '}
            {settings.enabled ? 'on' : 'off'} · {settings.mode}
          </p>
        )}
        {!fixed && (
          <form class="form-bar" aria-label="Telegram bot" onSubmit={(e) => save(e, { ...(token.trim() ? { botToken: token.trim() } : {}), enabled })}>
            <label class="field grow">
              <span>Bot token</span>
              <input
                type="password"
                autocomplete="off"
                value={token}
                placeholder={settings?.configured ? '•••••• (set; paste a new one to replace it)' : '123456789:AA…'}
                onInput={(e) => setToken(e.currentTarget.value)}
              />
            </label>
            <label class="field">
              <span>Enabled</span>
              <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
            </label>
            <button type="submit" class="primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save'}
            </button>
            {settings?.configured && (
              <button type="button" class="quiet" disabled={busy} onClick={(e) => confirm('Remove the bot token?') && save(e, { botToken: null, enabled: false })}>
                Remove token
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
