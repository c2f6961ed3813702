/**
 * The sidebar's inbox: the live escalation queue, the other views (open with the bot, mine,
 * waiting, resolved) a page at a time, filters, and full-text search over messages. Everything
 * it lists comes from the server already scoped to the operator's sites.
 *
 * The views are live too: the console's events (a new conversation, a queue change, a claim or a
 * transfer, a message of a row shown) reload the rows shown — once per burst (`coalescer`), not
 * once per event. A search stays as it was asked.
 */
import { CATEGORIES, INBOX_LIMITS, type Category, type Channel, type InboxFilters, type InboxView, type Priority, type QueueItem, type SearchHit, type SiteDto } from '@support-chat/protocol';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';
import { categoryLabel, visitorLabel } from './format.ts';
import { t } from '../i18n/index.ts';
import { coalescer } from '../state/coalescer.ts';
import { refusalText } from '../i18n/refusals.ts';

const VIEWS: InboxView[] = ['queue', 'open', 'mine', 'waiting', 'resolved'];
/** A view reloads at most this often however many events arrive. */
const REFRESH_MS = 400;

/** Something changed that a view may show: `conversationId` set when it concerns that one conversation only (a message). */
export type InboxNews = { conversationId?: string };

export interface InboxPanelProps {
  socket: OperatorSocket;
  sites: SiteDto[];
  selectedId: string | null;
  onSelect: (conversationId: string) => void;
  /** The live escalation queue, shown for the `queue` view with no search. */
  queue: ComponentChildren;
  /** Subscribes to the console's news; returns the unsubscribe. */
  onNews: (listener: (news: InboxNews) => void) => () => void;
}

type Rows = { kind: 'items'; items: QueueItem[] } | { kind: 'hits'; hits: SearchHit[] };

export function InboxPanel({ socket, sites, selectedId, onSelect, queue, onNews }: InboxPanelProps) {
  const [view, setView] = useState<InboxView>('queue');
  const [filters, setFilters] = useState<InboxFilters>({});
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<Rows | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const filtered = Object.values(filters).some((v) => v !== undefined);
  const live = view === 'queue' && query === '' && !filtered;

  const load = async (after: string | null) => {
    setLoading(true);
    setError(null);
    const res =
      query !== ''
        ? await request(socket, 'inbox:search', { ...filters, query, ...(after ? { cursor: after } : {}) })
        : await request(socket, 'inbox:list', { ...filters, view, ...(after ? { cursor: after } : {}) });
    setLoading(false);
    if (!res.ok) return setError(refusalText(res.error));
    const page: Rows = 'hits' in res.data ? { kind: 'hits', hits: res.data.hits } : { kind: 'items', items: res.data.items };
    setCursor(res.data.nextCursor);
    setRows((prev) => (after && prev ? appendPage(prev, page) : page));
  };

  useEffect(() => {
    setRows(null);
    setCursor(null);
    if (!live) void load(null);
  }, [view, query, filters.siteKey, filters.priority, filters.intent, filters.channel, live]);

  // The rows on screen, for the refresh below (its closure outlives renders).
  const shown = useRef<QueueItem[]>([]);
  shown.current = rows?.kind === 'items' ? rows.items : [];
  useEffect(() => {
    if (live || query !== '') return;
    let current = true;
    // As many rows as are shown (the pages "More" added too), newest first, in one request.
    const refresh = coalescer(async () => {
      const limit = Math.min(INBOX_LIMITS.maxPageSize, Math.max(INBOX_LIMITS.pageSize, shown.current.length));
      const res = await request(socket, 'inbox:list', { ...filters, view, limit });
      if (!current || !res.ok) return;
      setRows({ kind: 'items', items: res.data.items });
      setCursor(res.data.nextCursor);
    }, REFRESH_MS);
    const off = onNews(({ conversationId }) => {
      if (conversationId === undefined || shown.current.some((item) => item.conversationId === conversationId)) refresh.poke();
    });
    return () => {
      current = false;
      off();
      refresh.stop();
    };
  }, [socket, view, query, filters.siteKey, filters.priority, filters.intent, filters.channel, live]);

  const setFilter = <K extends keyof InboxFilters>(key: K, value: string) => setFilters((f) => ({ ...f, [key]: value === '' ? undefined : (value as InboxFilters[K]) }));

  return (
    <section class="panel inbox" aria-label={t('inbox.label')}>
      <form
        class="inbox-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(typed.trim());
        }}
      >
        <input type="search" aria-label={t('inbox.search')} placeholder={t('inbox.searchPlaceholder')} maxLength={200} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
        <button type="submit">{t('inbox.searchSubmit')}</button>
      </form>
      <nav class="inbox-views" aria-label={t('inbox.views')}>
        {VIEWS.map((v) => (
          <button key={v} type="button" class="tab" aria-pressed={query === '' && view === v} onClick={() => (setView(v), setQuery(''), setTyped(''))}>
            {t(`inbox.view.${v}`)}
          </button>
        ))}
      </nav>
      <div class="inbox-filters">
        {sites.length > 1 && (
          <select aria-label={t('inbox.filterSite')} value={filters.siteKey ?? ''} onChange={(e) => setFilter('siteKey', e.currentTarget.value)}>
            <option value="">{t('inbox.allSites')}</option>
            {sites.map((s) => (
              <option key={s.key} value={s.key}>
                {s.name}
              </option>
            ))}
          </select>
        )}
        <select aria-label={t('inbox.filterPriority')} value={filters.priority ?? ''} onChange={(e) => setFilter('priority', e.currentTarget.value as Priority | '')}>
          <option value="">{t('inbox.anyPriority')}</option>
          <option value="HIGH">{t('inbox.priorityHigh')}</option>
          <option value="NORMAL">{t('inbox.priorityNormal')}</option>
        </select>
        <select aria-label={t('inbox.filterIntent')} value={filters.intent ?? ''} onChange={(e) => setFilter('intent', e.currentTarget.value as Category | '')}>
          <option value="">{t('inbox.anyIntent')}</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {categoryLabel(c)}
            </option>
          ))}
        </select>
        <select aria-label={t('inbox.filterChannel')} value={filters.channel ?? ''} onChange={(e) => setFilter('channel', e.currentTarget.value as Channel | '')}>
          <option value="">{t('inbox.anyChannel')}</option>
          <option value="WIDGET">{t('inbox.channelWidget')}</option>
          <option value="REST">REST</option>
          <option value="TELEGRAM">Telegram</option>
        </select>
      </div>
      {live ? (
        queue
      ) : (
        <div class="inbox-results" data-testid="inbox-results">
          {error && <p class="notice error pad">{error}</p>}
          {rows === null ? (
            <p class="muted pad">{t('queue.loading')}</p>
          ) : (rows.kind === 'hits' ? rows.hits.length : rows.items.length) === 0 ? (
            <p class="muted pad">{query ? t('inbox.noMatches') : t('inbox.empty')}</p>
          ) : (
            <ul class="rows">
              {rows.kind === 'hits'
                ? rows.hits.map(({ item, message }) => (
                    <li key={message.id}>
                      <InboxRow item={item} selected={item.conversationId === selectedId} onSelect={onSelect} text={message.text} testId="search-hit" />
                    </li>
                  ))
                : rows.items.map((item) => (
                    <li key={item.conversationId}>
                      <InboxRow item={item} selected={item.conversationId === selectedId} onSelect={onSelect} text={item.lastMessage} testId="inbox-row" />
                    </li>
                  ))}
            </ul>
          )}
          {cursor && (
            <p class="pad">
              <button type="button" class="link" disabled={loading} onClick={() => void load(cursor)}>
                {loading ? t('queue.loading') : t('inbox.more')}
              </button>
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/** "More": the next page after the rows shown (keyset pages never overlap). */
function appendPage(prev: Rows, page: Rows): Rows {
  if (prev.kind === 'hits' && page.kind === 'hits') return { kind: 'hits', hits: [...prev.hits, ...page.hits] };
  if (prev.kind === 'items' && page.kind === 'items') return { kind: 'items', items: [...prev.items, ...page.items] };
  return page;
}

function InboxRow({ item, selected, onSelect, text, testId }: { item: QueueItem; selected: boolean; onSelect: (id: string) => void; text: string | null; testId: string }) {
  return (
    <button type="button" class={`queue-row${item.priority === 'HIGH' ? ' high' : ''}`} aria-current={selected ? 'true' : undefined} data-testid={testId} onClick={() => onSelect(item.conversationId)}>
      <span class="row-line">
        {item.priority === 'HIGH' && <span class="badge high">{t('inbox.highBadge')}</span>}
        <span class="visitor">{visitorLabel(item)}</span>
        <span class="intent">{categoryLabel(item.category)}</span>
      </span>
      {/* Text nodes only: what a visitor typed is never parsed as HTML. */}
      {text && <span class="last">{text}</span>}
      <span class="row-line meta">
        <span class="site">{item.siteName}</span>
        <span>{t(`inbox.status.${item.status}`)}</span>
      </span>
    </button>
  );
}
