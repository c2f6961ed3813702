/**
 * The site's canned responses: every operator reads them here and picks them with `/` in the
 * reply box; the site's admins add, change and delete them.
 */
import { CANNED_LIMITS, CANNED_VARIABLES, type CannedResponseDto } from '@support-chat/protocol';
import { useEffect, useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';

export interface CannedPanelProps {
  socket: OperatorSocket;
  canEdit: boolean;
  /** The site picked in the header (ConsoleScreen remounts this for another). */
  siteKey: string | undefined;
  /** Tells the reply box's picker the site's new list. */
  onChange: (siteKey: string, responses: CannedResponseDto[]) => void;
}

const EMPTY = { id: null as string | null, shortcut: '', text: '' };
const byShortcut = (a: CannedResponseDto, b: CannedResponseDto) => a.shortcut.localeCompare(b.shortcut);

export function CannedPanel({ socket, canEdit, siteKey, onChange }: CannedPanelProps) {
  const [responses, setResponses] = useState<CannedResponseDto[] | null>(null);
  const [draft, setDraft] = useState(EMPTY);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const show = (list: CannedResponseDto[]) => {
    const sorted = [...list].sort(byShortcut);
    setResponses(sorted);
    if (siteKey) onChange(siteKey, sorted);
  };

  useEffect(() => {
    let live = true;
    void request(socket, 'canned:list', { siteKey }).then((res) => {
      if (!live) return;
      if (res.ok) show(res.data.responses);
      else setStatus({ kind: 'error', text: res.error.message });
    });
    return () => {
      live = false;
    };
  }, [socket]);

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy || !draft.shortcut.trim() || !draft.text.trim()) return;
    setBusy(true);
    setStatus(null);
    const res = await request(socket, 'canned:save', { siteKey, shortcut: draft.shortcut.trim().replace(/^\//, ''), text: draft.text, ...(draft.id ? { id: draft.id } : {}) });
    setBusy(false);
    if (!res.ok) return setStatus({ kind: 'error', text: res.error.message });
    show([...(responses ?? []).filter((r) => r.id !== res.data.id), res.data]);
    setDraft(EMPTY);
    setStatus({ kind: 'ok', text: `/${res.data.shortcut} saved.` });
  };

  const remove = async (response: CannedResponseDto) => {
    if (!confirm(`Delete /${response.shortcut}?`)) return;
    setStatus(null);
    const res = await request(socket, 'canned:delete', { siteKey, id: response.id });
    if (!res.ok) return setStatus({ kind: 'error', text: res.error.message });
    show((responses ?? []).filter((r) => r.id !== response.id));
    if (draft.id === response.id) setDraft(EMPTY);
  };

  return (
    <main class="apikeys canned">
      <section class="panel" aria-labelledby="canned-title">
        <h2 id="canned-title">Canned responses</h2>
        <div class="apikeys-body">
          <p class="muted small">
            Type <code>/</code> in the reply box to pick one. {CANNED_VARIABLES.map((v) => `{{${v}}}`).join(', ')} are filled in when it is inserted; you can
            still edit the text before sending.
          </p>
          {canEdit && (
            <form class="canned-form" onSubmit={save} aria-label={draft.id ? 'Edit canned response' : 'New canned response'}>
              <label class="field">
                <span>Shortcut</span>
                <input
                  value={draft.shortcut}
                  maxLength={CANNED_LIMITS.shortcutMaxChars + 1}
                  placeholder="hello"
                  onInput={(e) => setDraft({ ...draft, shortcut: e.currentTarget.value })}
                />
              </label>
              <label class="field">
                <span>Text</span>
                <textarea
                  rows={3}
                  value={draft.text}
                  maxLength={CANNED_LIMITS.textMaxChars}
                  placeholder="Здравствуйте, {{visitor_name}}! Меня зовут {{operator_name}}."
                  onInput={(e) => setDraft({ ...draft, text: e.currentTarget.value })}
                />
              </label>
              <div class="form-bar">
                {draft.id ? (
                  <button type="button" class="quiet" onClick={() => setDraft(EMPTY)}>
                    Cancel
                  </button>
                ) : (
                  <span />
                )}
                <button type="submit" class="primary" disabled={busy || !draft.shortcut.trim() || !draft.text.trim()}>
                  {busy ? 'Saving…' : draft.id ? 'Save changes' : 'Add'}
                </button>
              </div>
            </form>
          )}
          {status && (
            <p class={`notice ${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'}>
              {status.text}
            </p>
          )}
          {!responses ? (
            !status && <p class="muted">Loading…</p>
          ) : responses.length === 0 ? (
            <p class="muted">No canned responses yet.</p>
          ) : (
            <table class="apikeys-table">
              <tbody>
                {responses.map((r) => (
                  <tr key={r.id} data-testid="canned-response">
                    <td>
                      <code>/{r.shortcut}</code>
                    </td>
                    {/* Text node only: never rendered as HTML. */}
                    <td class="canned-cell">{r.text}</td>
                    {canEdit && (
                      <td>
                        <button type="button" class="quiet" onClick={() => setDraft({ id: r.id, shortcut: r.shortcut, text: r.text })}>
                          Edit
                        </button>
                        <button type="button" class="quiet" onClick={() => remove(r)}>
                          Delete
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </section>
    </main>
  );
}
