/**
 * The site's canned responses: every operator reads them here and picks them with `/` in the
 * reply box; the site's admins add, change and delete them.
 */
import { CANNED_LIMITS, CANNED_VARIABLES, type CannedResponseDto } from '@support-chat/protocol';
import { useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';
import { SiteRecordsPanel, useSiteRecords } from './SiteRecordsPanel.tsx';
import { t } from '../i18n/index.ts';
import { refusalText } from '../i18n/refusals.ts';

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
  const sorted = (list: CannedResponseDto[]) => [...list].sort(byShortcut);
  const { records: responses, setRecords, outcome, setOutcome } = useSiteRecords(
    socket,
    () => request(socket, 'canned:list', { siteKey }),
    (data) => sorted(data.responses),
    (list) => siteKey && onChange(siteKey, list),
  );
  const [draft, setDraft] = useState(EMPTY);
  const [busy, setBusy] = useState(false);

  const show = (list: CannedResponseDto[]) => {
    setRecords(sorted(list));
    if (siteKey) onChange(siteKey, sorted(list));
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy || !draft.shortcut.trim() || !draft.text.trim()) return;
    setBusy(true);
    setOutcome(null);
    const res = await request(socket, 'canned:save', { siteKey, shortcut: draft.shortcut.trim().replace(/^\//, ''), text: draft.text, ...(draft.id ? { id: draft.id } : {}) });
    setBusy(false);
    if (!res.ok) return setOutcome({ kind: 'error', text: refusalText(res.error) });
    show([...(responses ?? []).filter((r) => r.id !== res.data.id), res.data]);
    setDraft(EMPTY);
    setOutcome({ kind: 'ok', text: t('canned.saved', { shortcut: `/${res.data.shortcut}` }) });
  };

  const remove = async (response: CannedResponseDto) => {
    if (!confirm(t('canned.deleteConfirm', { shortcut: `/${response.shortcut}` }))) return;
    setOutcome(null);
    const res = await request(socket, 'canned:delete', { siteKey, id: response.id });
    if (!res.ok) return setOutcome({ kind: 'error', text: refusalText(res.error) });
    show((responses ?? []).filter((r) => r.id !== response.id));
    if (draft.id === response.id) setDraft(EMPTY);
  };

  const form = canEdit && (
    <form class="canned-form" onSubmit={save} aria-label={draft.id ? t('canned.editForm') : t('canned.newForm')}>
      <label class="field">
        <span>{t('canned.shortcut')}</span>
        <input value={draft.shortcut} maxLength={CANNED_LIMITS.shortcutMaxChars + 1} placeholder="hello" onInput={(e) => setDraft({ ...draft, shortcut: e.currentTarget.value })} />
      </label>
      <label class="field">
        <span>{t('canned.text')}</span>
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
            {t('canned.cancel')}
          </button>
        ) : (
          <span />
        )}
        <button type="submit" class="primary" disabled={busy || !draft.shortcut.trim() || !draft.text.trim()}>
          {busy ? t('canned.saving') : draft.id ? t('canned.saveChanges') : t('canned.add')}
        </button>
      </div>
    </form>
  );

  return (
    <SiteRecordsPanel
      id="canned-title"
      title={t('header.canned')}
      class="canned"
      intro={
        <>
          {t('canned.introBefore')} <code>/</code> {t('canned.introAfter', { variables: CANNED_VARIABLES.map((v) => `{{${v}}}`).join(', ') })}
        </>
      }
      form={form}
      outcome={outcome}
      records={responses}
      empty={t('canned.empty')}
      row={(r) => (
        <tr key={r.id} data-testid="canned-response">
          <td>
            <code>/{r.shortcut}</code>
          </td>
          {/* Text node only: never rendered as HTML. */}
          <td class="canned-cell">{r.text}</td>
          {canEdit && (
            <td>
              <button type="button" class="quiet" onClick={() => setDraft({ id: r.id, shortcut: r.shortcut, text: r.text })}>
                {t('canned.edit')}
              </button>
              <button type="button" class="quiet" onClick={() => remove(r)}>
                {t('canned.delete')}
              </button>
            </td>
          )}
        </tr>
      )}
    />
  );
}
