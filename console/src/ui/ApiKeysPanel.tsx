/**
 * Admins' REST API keys of the site: list, create (the new key is shown here once, with a copy
 * button — the server keeps only its hash), revoke.
 */
import type { ApiKeyDto } from '@support-chat/protocol';
import { useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';
import { SiteRecordsPanel, useSiteRecords } from './SiteRecordsPanel.tsx';
import { t } from '../i18n/index.ts';
import { refusalText } from '../i18n/refusals.ts';

const dateLabel = (iso: string | null) => (iso ? new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) : '—');

/** `siteKey`: the site picked in the header (ConsoleScreen remounts this for another). */
export function ApiKeysPanel({ socket, siteKey }: { socket: OperatorSocket; siteKey: string | undefined }) {
  const { records: keys, setRecords: setKeys, outcome, setOutcome: setStatus } = useSiteRecords(socket, () => request(socket, 'apikeys:list', { siteKey }), (data) => data.keys);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ key: string; prefix: string } | null>(null);
  const [copied, setCopied] = useState(false);

  const create = async (e: Event) => {
    e.preventDefault();
    if (busy || !name.trim()) return;
    setBusy(true);
    setStatus(null);
    const res = await request(socket, 'apikeys:create', { name: name.trim(), siteKey });
    setBusy(false);
    if (!res.ok) return setStatus({ kind: 'error', text: refusalText(res.error) });
    setKeys((list) => [...(list ?? []), res.data.record]);
    setCreated({ key: res.data.key, prefix: res.data.record.prefix });
    setCopied(false);
    setName('');
  };

  const revoke = async (key: ApiKeyDto) => {
    if (!confirm(t('apiKeys.revokeConfirm', { key: `${key.prefix}…`, name: key.name }))) return;
    setStatus(null);
    const res = await request(socket, 'apikeys:revoke', { id: key.id, siteKey });
    if (!res.ok) return setStatus({ kind: 'error', text: refusalText(res.error) });
    setKeys((list) => (list ?? []).map((k) => (k.id === res.data.id ? res.data : k)));
    if (created?.prefix === key.prefix) setCreated(null);
    setStatus({ kind: 'ok', text: t('apiKeys.revoked', { key: `${key.prefix}…` }) });
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied(true);
    } catch {
      setStatus({ kind: 'error', text: t('apiKeys.copyRefused') });
    }
  };

  return (
    <SiteRecordsPanel
      id="apikeys-title"
      title={t('header.apiKeys')}
      intro={
        <>
          {t('apiKeys.introCall')} <code>POST /api/messages/</code> {t('apiKeys.introWith')} <code>Authorization: Bearer &lt;key&gt;</code>. {t('apiKeys.introSite')}
        </>
      }
      form={
        <>
          <form class="form-bar" onSubmit={create}>
            <label class="field grow">
              <span>{t('apiKeys.newFor')}</span>
              <input value={name} maxLength={100} placeholder={t('apiKeys.newForExample')} onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            <button type="submit" class="primary" disabled={busy || !name.trim()}>
              {busy ? t('apiKeys.creating') : t('apiKeys.create')}
            </button>
          </form>
          {created && (
            <div class="notice ok created-key" role="status">
              <p>{t('apiKeys.copyNow')}</p>
              <div class="form-bar">
                <code data-testid="new-api-key">{created.key}</code>
                <button type="button" onClick={copy}>
                  {copied ? t('apiKeys.copied') : t('apiKeys.copy')}
                </button>
              </div>
            </div>
          )}
        </>
      }
      outcome={outcome}
      records={keys}
      empty={t('apiKeys.empty')}
      head={
        <tr>
          <th>{t('apiKeys.key')}</th>
          <th>{t('apiKeys.name')}</th>
          <th>{t('apiKeys.created')}</th>
          <th>{t('apiKeys.lastUsed')}</th>
          <th />
        </tr>
      }
      row={(k) => (
        <tr key={k.id} class={k.revokedAt ? 'revoked' : undefined}>
          <td>
            <code>{k.prefix}…</code>
          </td>
          <td>{k.name}</td>
          <td>{dateLabel(k.createdAt)}</td>
          <td>{dateLabel(k.lastUsedAt)}</td>
          <td>
            {k.revokedAt ? (
              <span class="muted small">{t('apiKeys.revokedAt', { when: dateLabel(k.revokedAt) })}</span>
            ) : (
              <button type="button" class="quiet" onClick={() => revoke(k)}>
                {t('apiKeys.revoke')}
              </button>
            )}
          </td>
        </tr>
      )}
    />
  );
}
