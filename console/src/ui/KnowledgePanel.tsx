/**
 * The site's knowledge base: the articles the bot quotes answers from. Everyone reads them (an
 * operator answering a visitor may want the article the bot used); admins create, edit, enable or
 * disable and delete them — the server refuses anyone else, and its refusal is shown as it says it.
 */
import type { KnowledgeArticleDto, KnowledgeArticleInput } from '@support-chat/protocol';
import { useEffect, useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';
import { t } from '../i18n/index.ts';
import { isHttpUrl } from '../state/markdown.ts';
import { MarkdownPreview } from './MarkdownPreview.tsx';
import { refusalText } from '../i18n/refusals.ts';

interface Draft {
  title: string;
  slug: string;
  url: string;
  locale: string;
  enabled: boolean;
  body: string;
}

const EMPTY: Draft = { title: '', slug: '', url: '', locale: '', enabled: true, body: '' };

const draftOf = (a: KnowledgeArticleDto): Draft => ({
  title: a.title,
  slug: a.slug,
  url: a.url ?? '',
  locale: a.locale ?? '',
  enabled: a.enabled,
  body: a.body,
});

/** What `knowledge:save` gets: blanks become "none" (null), or "let the server pick" for the slug. */
function inputOf(draft: Draft, id: string | null): KnowledgeArticleInput {
  const slug = draft.slug.trim();
  return {
    ...(id ? { id } : {}),
    ...(slug ? { slug } : {}),
    title: draft.title.trim(),
    body: draft.body,
    url: draft.url.trim() || null,
    locale: draft.locale.trim() || null,
    enabled: draft.enabled,
  };
}

function checkDraft(draft: Draft): string | null {
  if (!draft.title.trim()) return t('knowledge.needsTitle');
  if (!draft.body.trim()) return t('knowledge.needsText');
  const url = draft.url.trim();
  if (url && !isHttpUrl(url)) return t('knowledge.badLink');
  return null;
}

const sameDraft = (a: Draft, b: Draft) => (Object.keys(a) as (keyof Draft)[]).every((k) => a[k] === b[k]);
const byTitle = (list: KnowledgeArticleDto[]) => [...list].sort((a, b) => a.title.localeCompare(b.title));
const dateLabel = (iso: string) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

type Status = { kind: 'ok' | 'error'; text: string } | null;

/** `siteKey`: the site picked in the header (ConsoleScreen remounts this for another). */
export function KnowledgePanel({ socket, canEdit, siteKey }: { socket: OperatorSocket; canEdit: boolean; siteKey: string | undefined }) {
  const [articles, setArticles] = useState<KnowledgeArticleDto[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** The article in the editor: its id, 'new' for one not saved yet, null for none. */
  const [selected, setSelected] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);

  useEffect(() => {
    let live = true;
    void request(socket, 'knowledge:list', { siteKey }).then((res) => {
      if (!live) return;
      if (res.ok) setArticles(byTitle(res.data.articles));
      else setLoadError(refusalText(res.error));
    });
    return () => {
      live = false;
    };
  }, [socket]);

  const current = articles?.find((a) => a.id === selected) ?? null;
  const editing = selected === 'new' || current !== null;
  const dirty = selected === 'new' ? !sameDraft(draft, EMPTY) : current !== null && !sameDraft(draft, draftOf(current));

  const upsert = (saved: KnowledgeArticleDto) =>
    setArticles((list) => byTitle([...(list ?? []).filter((a) => a.id !== saved.id), saved]));

  const pick = (a: KnowledgeArticleDto) => {
    setSelected(a.id);
    setDraft(draftOf(a));
    setStatus(null);
  };

  const startNew = () => {
    setSelected('new');
    setDraft(EMPTY);
    setStatus(null);
  };

  const edit = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setStatus(null);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const problem = checkDraft(draft);
    if (problem) return setStatus({ kind: 'error', text: problem });
    setBusy(true);
    setStatus(null);
    const res = await request(socket, 'knowledge:save', { ...inputOf(draft, current?.id ?? null), siteKey });
    setBusy(false);
    if (!res.ok) return setStatus({ kind: 'error', text: refusalText(res.error) });
    upsert(res.data);
    setSelected(res.data.id);
    setDraft(draftOf(res.data));
    setStatus({ kind: 'ok', text: res.data.enabled ? t('knowledge.saved') : t('knowledge.savedDisabled') });
  };

  /** Flips one article from the list as it is stored (not the editor's unsaved draft). */
  const toggle = async (a: KnowledgeArticleDto) => {
    if (busy) return;
    setBusy(true);
    setStatus(null);
    const res = await request(socket, 'knowledge:save', { ...inputOf(draftOf(a), a.id), enabled: !a.enabled, siteKey });
    setBusy(false);
    if (!res.ok) return setStatus({ kind: 'error', text: refusalText(res.error) });
    upsert(res.data);
    if (selected === a.id) setDraft((d) => ({ ...d, enabled: res.data.enabled }));
    setStatus({ kind: 'ok', text: t(res.data.enabled ? 'knowledge.enabledOne' : 'knowledge.disabledOne', { title: res.data.title }) });
  };

  const remove = async (a: KnowledgeArticleDto) => {
    if (busy || !confirm(t('knowledge.deleteConfirm', { title: a.title }))) return;
    setBusy(true);
    setStatus(null);
    const res = await request(socket, 'knowledge:delete', { id: a.id, siteKey });
    setBusy(false);
    if (!res.ok) return setStatus({ kind: 'error', text: refusalText(res.error) });
    setArticles((list) => (list ?? []).filter((x) => x.id !== res.data.id));
    if (selected === a.id) {
      setSelected(null);
      setDraft(EMPTY);
    }
    setStatus({ kind: 'ok', text: t('knowledge.deleted', { title: a.title }) });
  };

  const statusLine = status && (
    <p class={`notice ${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'} data-testid="knowledge-status">
      {status.text}
    </p>
  );

  return (
    <main class="knowledge">
      <section class="panel kb-list" aria-labelledby="knowledge-title">
        <div class="kb-list-head">
          <h2 id="knowledge-title">{t('header.knowledge')}</h2>
          {canEdit && (
            <button type="button" class="primary" onClick={startNew} disabled={busy}>
              {t('knowledge.new')}
            </button>
          )}
        </div>
        {loadError ? (
          <p class="notice error pad" role="alert">
            {loadError}
          </p>
        ) : !articles ? (
          <p class="muted pad">{t('queue.loading')}</p>
        ) : articles.length === 0 ? (
          <p class="muted pad">{t('knowledge.empty')}</p>
        ) : (
          <div class="kb-table-wrap">
            <table class="kb-table">
              <thead>
                <tr>
                  <th>{t('knowledge.titleField')}</th>
                  <th>{t('knowledge.slug')}</th>
                  <th>{t('common.enabled')}</th>
                  <th>{t('knowledge.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {articles.map((a) => (
                  <tr key={a.id} class={a.enabled ? undefined : 'disabled'} aria-current={a.id === selected ? 'true' : undefined}>
                    <td>
                      <button type="button" class="link" onClick={() => pick(a)}>
                        {a.title}
                      </button>
                    </td>
                    <td>
                      <code>{a.slug}</code>
                    </td>
                    <td>
                      <input
                        type="checkbox"
                        checked={a.enabled}
                        disabled={!canEdit || busy}
                        aria-label={t('knowledge.enabledFor', { title: a.title })}
                        onChange={(e) => {
                          // The stored state shows until the server confirms the change.
                          e.currentTarget.checked = a.enabled;
                          void toggle(a);
                        }}
                      />
                    </td>
                    <td class="small">{dateLabel(a.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {!editing && statusLine}
      </section>

      <section class="panel kb-form" aria-label={t('knowledge.edit')}>
        {!editing ? (
          <div class="empty">
            <h2>{canEdit ? t('knowledge.pickOrNew') : t('knowledge.pick')}</h2>
            <p class="muted">{t('knowledge.hint')}</p>
          </div>
        ) : (
          <form onSubmit={save}>
            <h2>{selected === 'new' ? t('knowledge.new') : current!.title}</h2>
            <div class="kb-fields">
              <label class="field grow">
                <span>{t('knowledge.titleField')}</span>
                <input value={draft.title} maxLength={200} readOnly={!canEdit} onInput={(e) => edit({ title: e.currentTarget.value })} />
              </label>
              <label class="field">
                <span>{t('knowledge.slug')}</span>
                <input
                  value={draft.slug}
                  maxLength={100}
                  placeholder={t('knowledge.slugPlaceholder')}
                  readOnly={!canEdit}
                  onInput={(e) => edit({ slug: e.currentTarget.value })}
                />
              </label>
            </div>
            <div class="kb-fields">
              <label class="field grow">
                <span>{t('knowledge.link')}</span>
                <input
                  type="url"
                  value={draft.url}
                  placeholder="https://…"
                  readOnly={!canEdit}
                  onInput={(e) => edit({ url: e.currentTarget.value })}
                />
              </label>
              <label class="field">
                <span>{t('common.language')}</span>
                <input value={draft.locale} maxLength={10} placeholder="ru, en…" readOnly={!canEdit} onInput={(e) => edit({ locale: e.currentTarget.value })} />
              </label>
              <label class="check">
                <input type="checkbox" checked={draft.enabled} disabled={!canEdit} onChange={(e) => edit({ enabled: e.currentTarget.checked })} />
                <span>{t('common.enabled')}</span>
              </label>
            </div>
            <div class="kb-body">
              <label class="field">
                <span>{t('knowledge.body')}</span>
                <textarea rows={18} value={draft.body} readOnly={!canEdit} onInput={(e) => edit({ body: e.currentTarget.value })} />
              </label>
              <section class="field" aria-label={t('knowledge.preview')}>
                <span>{t('knowledge.preview')}</span>
                <div class="kb-preview" data-testid="knowledge-preview">
                  <MarkdownPreview source={draft.body} />
                </div>
              </section>
            </div>
            <div class="form-bar">
              {statusLine}
              {!status && dirty && <span class="muted small">{t('common.unsaved')}</span>}
              <span class="spacer" />
              {canEdit && current && (
                <button type="button" class="danger" disabled={busy} onClick={() => remove(current)}>
                  {t('common.delete')}
                </button>
              )}
              {canEdit && (
                <>
                  <button type="button" disabled={!dirty || busy} onClick={() => (current ? pick(current) : startNew())}>
                    {t('common.revert')}
                  </button>
                  <button type="submit" class="primary" disabled={busy || !dirty}>
                    {busy ? t('common.saving') : t('common.save')}
                  </button>
                </>
              )}
            </div>
          </form>
        )}
      </section>
    </main>
  );
}
