/**
 * The Sites tab: every site the operator may see, with its snippet to copy; owners create sites.
 * The site picked in the header opens below the list: its widget settings and allowed origins
 * (its admins and owners edit them) and its team. Refusals show as the server words them.
 */
import type { OperatorRole, SiteDto } from '@support-chat/protocol';
import { useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';
import { t } from '../i18n/index.ts';
import { roleLabel } from './format.ts';
import { SiteMembers } from './SiteMembers.tsx';
import { SiteSettingsForm } from './SiteSettingsForm.tsx';
import { TelegramSettings } from './TelegramSettings.tsx';
import { refusalText } from '../i18n/refusals.ts';

export interface SitesPanelProps {
  socket: OperatorSocket;
  role: OperatorRole;
  /** From `sites:list` (ConsoleScreen keeps it, the header's picker shows it). */
  sites: SiteDto[] | null;
  loadError: string | null;
  siteKey: string | undefined;
  onSelect: (siteKey: string) => void;
  /** A site created or saved: ConsoleScreen replaces it in its list. */
  onSite: (site: SiteDto) => void;
}

type Status = { kind: 'ok' | 'error'; text: string } | null;

/** One origin per line (or separated by commas/spaces). */
export const originsOf = (text: string) => text.split(/[\s,]+/).filter(Boolean);

export function SitesPanel({ socket, role, sites, loadError, siteKey, onSelect, onSite }: SitesPanelProps) {
  const [name, setName] = useState('');
  const [origins, setOrigins] = useState('');
  const [locale, setLocale] = useState('ru');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const [copied, setCopied] = useState<string | null>(null);

  const create = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setStatus(null);
    const res = await request(socket, 'sites:create', { name: name.trim(), allowedOrigins: originsOf(origins), locale });
    setBusy(false);
    if (!res.ok) return setStatus({ kind: 'error', text: refusalText(res.error) });
    onSite(res.data);
    onSelect(res.data.key);
    setName('');
    setOrigins('');
    setStatus({ kind: 'ok', text: t('sites.created', { name: res.data.name }) });
  };

  const copy = async (site: SiteDto) => {
    try {
      await navigator.clipboard.writeText(site.snippet);
      setCopied(site.key);
    } catch {
      setStatus({ kind: 'error', text: t('sites.copyRefused') });
    }
  };

  const current = sites?.find((s) => s.key === siteKey) ?? null;
  const canAdmin = current !== null && (current.myRole === 'owner' || current.myRole === 'admin');
  return (
    <main class="sites">
      <section class="panel" aria-labelledby="sites-title">
        <h2 id="sites-title">{t('header.sites')}</h2>
        <div class="sites-body">
          {role === 'owner' && (
            <form class="form-bar site-create" onSubmit={create} aria-label={t('sites.new')}>
              <label class="field grow">
                <span>{t('sites.name')}</span>
                <input value={name} maxLength={100} required onInput={(e) => setName(e.currentTarget.value)} />
              </label>
              <label class="field grow">
                <span>{t('sites.origins')}</span>
                <input value={origins} placeholder="https://shop.example https://www.shop.example" onInput={(e) => setOrigins(e.currentTarget.value)} />
              </label>
              <label class="field">
                <span>{t('common.language')}</span>
                <select value={locale} onChange={(e) => setLocale(e.currentTarget.value)}>
                  <option value="ru">ru</option>
                  <option value="en">en</option>
                </select>
              </label>
              <button type="submit" class="primary" disabled={busy || !name.trim()}>
                {busy ? t('sites.creating') : t('sites.create')}
              </button>
            </form>
          )}
          {status && (
            <p class={`notice ${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'}>
              {status.text}
            </p>
          )}
          {loadError && (
            <p class="notice error" role="alert">
              {loadError}
            </p>
          )}
          {!sites ? (
            !loadError && <p class="muted">{t('queue.loading')}</p>
          ) : sites.length === 0 ? (
            <p class="muted">{t('sites.empty')}</p>
          ) : (
            <ul class="site-list">
              {sites.map((s) => (
                <li key={s.key} class={s.key === siteKey ? 'selected' : undefined} data-site={s.key}>
                  <div class="form-bar">
                    <button type="button" class="quiet site-name" aria-pressed={s.key === siteKey} onClick={() => onSelect(s.key)}>
                      {s.name}
                    </button>
                    <span class="muted small">
                      <code>{s.key}</code> · {s.locale} · {roleLabel(s.myRole)}
                      {!s.enabled && ` · ${t('sites.disabled')}`}
                    </span>
                  </div>
                  <div class="form-bar">
                    <code class="snippet" data-testid="site-snippet">
                      {s.snippet}
                    </code>
                    <button type="button" onClick={() => copy(s)}>
                      {copied === s.key ? t('common.copied') : t('sites.copy')}
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>
      {current && canAdmin && (
        <>
          <SiteSettingsForm key={current.key} socket={socket} site={current} isOwner={role === 'owner'} onSaved={onSite} />
          <TelegramSettings key={`t-${current.key}`} socket={socket} siteKey={current.key} />
          <SiteMembers key={`m-${current.key}`} socket={socket} siteKey={current.key} />
        </>
      )}
    </main>
  );
}
