/**
 * The frame of a tab that manages one site's records (canned responses, API keys): a titled panel
 * with a short intro, the tab's form, the outcome of the last action, then the records' table — or
 * "Loading…" / the tab's empty text. Plus the load of the records when the tab opens, whose
 * refusal becomes that outcome.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { refusalText } from '../i18n/refusals.ts';

/** What the last action did: shown under the form, an error as an alert. */
export type Outcome = { kind: 'ok' | 'error'; text: string } | null;

type Loaded<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/**
 * The tab's records, loaded once per connection (`socket`): `load` asks the server, `pick` takes the
 * records from its answer. `setOutcome` also tells of a refused load.
 */
export function useSiteRecords<T, D>(socket: unknown, load: () => Promise<Loaded<D>>, pick: (data: D) => T[], onLoaded?: (records: T[]) => void) {
  const [records, setRecords] = useState<T[] | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  useEffect(() => {
    let live = true;
    void load().then((res) => {
      if (!live) return;
      if (!res.ok) return setOutcome({ kind: 'error', text: refusalText(res.error) });
      const list = pick(res.data);
      setRecords(list);
      onLoaded?.(list);
    });
    return () => {
      live = false;
    };
  }, [socket]);
  return { records, setRecords, outcome, setOutcome };
}

export interface SiteRecordsPanelProps<T> {
  /** The heading's id (the section is labelled by it). */
  id: string;
  title: string;
  /** Extra classes of the panel's `<main>`. */
  class?: string;
  intro: ComponentChildren;
  /** The form to add (or edit) a record, and anything shown right after an action. */
  form?: ComponentChildren;
  outcome: Outcome;
  records: T[] | null;
  empty: string;
  /** The table's header row, if it has one. */
  head?: ComponentChildren;
  /** A record's table row (`<tr key=…>`). */
  row: (record: T) => ComponentChildren;
}

export function SiteRecordsPanel<T>({ id, title, class: extra, intro, form, outcome, records, empty, head, row }: SiteRecordsPanelProps<T>) {
  return (
    <main class={extra ? `apikeys ${extra}` : 'apikeys'}>
      <section class="panel" aria-labelledby={id}>
        <h2 id={id}>{title}</h2>
        <div class="apikeys-body">
          <p class="muted small">{intro}</p>
          {form}
          {outcome && (
            <p class={`notice ${outcome.kind}`} role={outcome.kind === 'error' ? 'alert' : 'status'}>
              {outcome.text}
            </p>
          )}
          {!records ? (
            !outcome && <p class="muted">{t('queue.loading')}</p>
          ) : records.length === 0 ? (
            <p class="muted">{empty}</p>
          ) : (
            <table class="apikeys-table">
              {head && <thead>{head}</thead>}
              <tbody>{records.map(row)}</tbody>
            </table>
          )}
        </div>
      </section>
    </main>
  );
}
