/**
 * A site's team, for its admins and owners: list, add (an existing account by email, or a new one
 * with a name and password), change a role (add again), remove. The server keeps one admin.
 */
import type { SiteMemberDto, SiteRole } from '@support-chat/protocol';
import { useEffect, useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';

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
      else setStatus({ kind: 'error', text: res.error.message });
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
    if (!res.ok) return setStatus({ kind: 'error', text: res.error.message });
    const { member, created } = res.data;
    setMembers((list) => [...(list ?? []).filter((m) => m.operatorId !== member.operatorId), member]);
    setStatus({ kind: 'ok', text: created ? `${member.email} got an account and joined as ${member.role}.` : `${member.email} is ${member.role} of this site.` });
    setEmail('');
    setName('');
    setPassword('');
  };

  const remove = async (m: SiteMemberDto) => {
    if (!confirm(`Remove ${m.name} (${m.email}) from this site?`)) return;
    setStatus(null);
    const res = await request(socket, 'members:remove', { siteKey, operatorId: m.operatorId });
    if (!res.ok) return setStatus({ kind: 'error', text: res.error.message });
    setMembers((list) => (list ?? []).filter((x) => x.operatorId !== m.operatorId));
  };

  return (
    <section class="panel" aria-labelledby="members-title">
      <h2 id="members-title">Team</h2>
      <div class="sites-body">
        <form class="form-bar" onSubmit={add} aria-label="Add a member">
          <label class="field grow">
            <span>Email</span>
            <input type="email" value={email} required onInput={(e) => setEmail(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>Name (new account)</span>
            <input value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>Password (new account)</span>
            <input type="password" value={password} autocomplete="new-password" onInput={(e) => setPassword(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>Role</span>
            <select value={role} onChange={(e) => setRole(e.currentTarget.value === 'admin' ? 'admin' : 'operator')}>
              <option value="operator">operator</option>
              <option value="admin">admin</option>
            </select>
          </label>
          <button type="submit" class="primary" disabled={busy || !email.trim()}>
            {busy ? 'Adding…' : 'Add'}
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
                <th>Name</th>
                <th>Email</th>
                <th>Role</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.operatorId}>
                  <td>{m.name}</td>
                  <td>{m.email}</td>
                  <td>{m.role}</td>
                  <td>
                    <button type="button" class="quiet" onClick={() => remove(m)}>
                      Remove
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
