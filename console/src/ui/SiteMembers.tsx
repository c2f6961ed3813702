/**
 * A site's team, for its admins and owners: list, add (an existing account by email, or a new one
 * with a name and password), change a role (add again), remove. The server keeps one admin.
 */
import type { SiteMemberDto, SiteRole } from '@support-chat/protocol';
import { useEffect, useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';
import { t } from '../i18n/index.ts';
import { roleLabel } from './format.ts';
import { refusalText } from '../i18n/refusals.ts';

export function SiteMembers({ socket, siteKey }: { socket: OperatorSocket; siteKey: string }) {
  const [members, setMembers] = useState<SiteMemberDto[] | null>(null);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<SiteRole>('operator');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  useEffect(() => {
    let live = true;
    void request(socket, 'members:list', { siteKey }).then((res) => {
      if (!live) return;
      if (res.ok) setMembers(res.data.members);
      else setStatus({ kind: 'error', text: refusalText(res.error) });
    });
    return () => {
      live = false;
    };
  }, [socket, siteKey]);

  const add = async (e: Event) => {
    e.preventDefault();
    if (busy || !email.trim()) return;
    setBusy(true);
    setStatus(null);
    const res = await request(socket, 'members:add', {
      siteKey,
      email: email.trim(),
      role,
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(password ? { password } : {}),
    });
    setBusy(false);
    if (!res.ok) return setStatus({ kind: 'error', text: refusalText(res.error) });
    const { member, created } = res.data;
    setMembers((list) => [...(list ?? []).filter((m) => m.operatorId !== member.operatorId), member]);
    setStatus({ kind: 'ok', text: t(created ? 'members.created' : 'members.joined', { email: member.email, role: roleLabel(member.role) }) });
    setEmail('');
    setName('');
    setPassword('');
  };

  const remove = async (m: SiteMemberDto) => {
    if (!confirm(t('members.removeConfirm', { name: m.name, email: m.email }))) return;
    setStatus(null);
    const res = await request(socket, 'members:remove', { siteKey, operatorId: m.operatorId });
    if (!res.ok) return setStatus({ kind: 'error', text: refusalText(res.error) });
    setMembers((list) => (list ?? []).filter((x) => x.operatorId !== m.operatorId));
  };

  return (
    <section class="panel" aria-labelledby="members-title">
      <h2 id="members-title">{t('members.title')}</h2>
      <div class="sites-body">
        <form class="form-bar" onSubmit={add} aria-label={t('members.add')}>
          <label class="field grow">
            <span>{t('common.email')}</span>
            <input type="email" value={email} required onInput={(e) => setEmail(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{t('members.newName')}</span>
            <input value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{t('members.newPassword')}</span>
            <input type="password" value={password} autocomplete="new-password" onInput={(e) => setPassword(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{t('members.role')}</span>
            <select value={role} onChange={(e) => setRole(e.currentTarget.value === 'admin' ? 'admin' : 'operator')}>
              <option value="operator">{roleLabel('operator')}</option>
              <option value="admin">{roleLabel('admin')}</option>
            </select>
          </label>
          <button type="submit" class="primary" disabled={busy || !email.trim()}>
            {busy ? t('members.adding') : t('members.addButton')}
          </button>
        </form>
        {status && (
          <p class={`notice ${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'}>
            {status.text}
          </p>
        )}
        {members && (
          <table class="apikeys-table">
            <thead>
              <tr>
                <th>{t('common.name')}</th>
                <th>{t('common.email')}</th>
                <th>{t('members.role')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.operatorId}>
                  <td>{m.name}</td>
                  <td>{m.email}</td>
                  <td>{roleLabel(m.role)}</td>
                  <td>
                    <button type="button" class="quiet" onClick={() => remove(m)}>
                      {t('common.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
