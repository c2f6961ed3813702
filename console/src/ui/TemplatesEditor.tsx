/** Admins edit the bot's reply variants per template key and language; saved ones are live at once. */
import type { Category, TemplateDto } from '@support-chat/protocol';
import { useEffect, useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';
import { t } from '../i18n/index.ts';
import { checkVariants, parseVariants } from '../state/template-variants.ts';
import { categoryLabel } from './format.ts';
import { refusalText } from '../i18n/refusals.ts';

const keyOf = (t: Pick<TemplateDto, 'category' | 'locale'>) => `${t.category}|${t.locale}`;

/** By the name the list shows, so an intent's languages sit together in reading order. */
function sortTemplates(list: TemplateDto[]): TemplateDto[] {
  return [...list].sort((a, b) => categoryLabel(a.category).localeCompare(categoryLabel(b.category)) || a.locale.localeCompare(b.locale));
}

/** `siteKey`: the site picked in the header (ConsoleScreen remounts this for another). */
export function TemplatesEditor({ socket, siteKey }: { socket: OperatorSocket; siteKey: string | undefined }) {
  const [templates, setTemplates] = useState<TemplateDto[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  useEffect(() => {
    let live = true;
    void request(socket, 'templates:list', { siteKey }).then((res) => {
      if (!live) return;
      if (res.ok) setTemplates(sortTemplates(res.data.templates));
      else setLoadError(refusalText(res.error));
    });
    return () => {
      live = false;
    };
  }, [socket]);

  const current = templates?.find((t) => keyOf(t) === selected) ?? null;
  const dirty = current !== null && parseVariants(draft).join('\n') !== current.variants.join('\n');

  const pick = (t: TemplateDto) => {
    setSelected(keyOf(t));
    setDraft(t.variants.join('\n'));
    setStatus(null);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (!current || saving) return;
    const variants = parseVariants(draft);
    const problem = checkVariants(variants);
    if (problem) return setStatus({ kind: 'error', text: problem });
    setSaving(true);
    setStatus(null);
    const res = await request(socket, 'templates:save', { category: current.category as Category, locale: current.locale, variants, siteKey });
    setSaving(false);
    if (!res.ok) return setStatus({ kind: 'error', text: refusalText(res.error) });
    setTemplates((list) => (list ?? []).map((t) => (keyOf(t) === keyOf(res.data) ? res.data : t)));
    setDraft(res.data.variants.join('\n'));
    setStatus({ kind: 'ok', text: t('templates.saved') });
  };

  return (
    <main class="templates">
      <section class="panel template-list" aria-labelledby="templates-title">
        <h2 id="templates-title">{t('header.templates')}</h2>
        {loadError ? (
          <p class="notice error pad" role="alert">
            {loadError}
          </p>
        ) : !templates ? (
          <p class="muted pad">{t('queue.loading')}</p>
        ) : templates.length === 0 ? (
          <p class="muted pad">{t('templates.empty')}</p>
        ) : (
          <ul class="rows">
            {templates.map((t) => (
              <li key={keyOf(t)}>
                <button type="button" class="template-row" aria-current={keyOf(t) === selected ? 'true' : undefined} onClick={() => pick(t)}>
                  <span>{categoryLabel(t.category)}</span>
                  <span class="muted small">
                    {t.locale} · {t.variants.length}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="panel template-form" aria-label={t('templates.edit')}>
        {!current ? (
          <div class="empty">
            <h2>{t('templates.pick')}</h2>
            <p class="muted">{t('templates.pickHint')}</p>
          </div>
        ) : (
          <form onSubmit={save}>
            <h2>
              {categoryLabel(current.category)} <span class="muted">· {current.locale}</span>
            </h2>
            <p class="muted small">
              {t('templates.key')} <code>{current.category}</code>. {t('templates.placeholdersBefore')} <code>{'{{site_name}}'}</code>{' '}
              {t('templates.placeholdersAfter')}
            </p>
            <label class="field">
              <span>{t('templates.variants')}</span>
              <textarea
                rows={14}
                value={draft}
                onInput={(e) => {
                  setDraft(e.currentTarget.value);
                  setStatus(null);
                }}
              />
            </label>
            <div class="form-bar">
              {status && (
                <span class={`notice ${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'}>
                  {status.text}
                </span>
              )}
              {!status && dirty && <span class="muted small">{t('common.unsaved')}</span>}
              <span class="spacer" />
              <button type="button" disabled={!dirty || saving} onClick={() => pick(current)}>
                {t('common.revert')}
              </button>
              <button type="submit" class="primary" disabled={saving || !dirty}>
                {saving ? t('common.saving') : t('common.save')}
              </button>
            </div>
          </form>
        )}
      </section>
    </main>
  );
}
