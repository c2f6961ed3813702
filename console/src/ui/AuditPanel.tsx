/** The site's audit log for its admins: who claimed, transferred, resolved, erased, edited what, newest first. */
import type { AuditEntryDto } from '@support-chat/protocol';
import { useEffect, useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';
import { type MessageKey, t } from '../i18n/index.ts';
import { refusalText } from '../i18n/refusals.ts';

const ACTION_LABELS: Record<AuditEntryDto['action'], MessageKey> = {
  'conversation.claim': 'audit.action.claim',
  'conversation.transfer': 'audit.action.transfer',
  'conversation.resolve': 'audit.action.resolve',
  'conversation.handback': 'audit.action.handback',
  'visitor.erase': 'audit.action.erase',
  'template.save': 'audit.action.template',
  'site.update': 'audit.action.site',
  'member.add': 'audit.action.memberAdd',
  'member.remove': 'audit.action.memberRemove',
};

const when = (iso: string) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'medium' });
/** `{ conversations: 2, messages: 9 }` → `conversations: 2, messages: 9`. */
const details = (detail: Record<string, unknown>) =>
  Object.entries(detail)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join('; ');

export function AuditPanel({ socket, siteKey }: { socket: OperatorSocket; siteKey: string | undefined }) {
  const [entries, setEntries] = useState<AuditEntryDto[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async (before?: string) => {
    const res = await request(socket, 'audit:list', { siteKey, ...(before ? { before } : {}) });
    if (!res.ok) return setError(refusalText(res.error));
    setEntries((list) => [...(before ? (list ?? []) : []), ...res.data.entries]);
    setMore(res.data.entries.length === 100);
  };
  useEffect(() => void load(), [socket, siteKey]);

  return (
    <section class="panel audit" aria-labelledby="audit-title">
      <h2 id="audit-title">{t('header.audit')}</h2>
      {error && <p class="notice error">{error}</p>}
      {entries === null ? (
        !error && <p class="muted">{t('queue.loading')}</p>
      ) : entries.length === 0 ? (
        <p class="muted">{t('audit.empty')}</p>
      ) : (
        <table class="audit-table" data-testid="audit-log">
          <thead>
            <tr>
              <th>{t('audit.when')}</th>
              <th>{t('audit.who')}</th>
              <th>{t('audit.action')}</th>
              <th>{t('audit.on')}</th>
              <th>{t('audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td>{when(e.createdAt)}</td>
                <td>{e.operatorName}</td>
                <td>{e.action in ACTION_LABELS ? t(ACTION_LABELS[e.action]) : e.action}</td>
                <td class="mono">{e.target ?? '—'}</td>
                <td>{details(e.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more && entries && (
        <button type="button" onClick={() => void load(entries.at(-1)!.createdAt)}>
          {t('audit.older')}
        </button>
      )}
    </section>
  );
}
