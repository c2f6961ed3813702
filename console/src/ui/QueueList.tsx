import type { QueueItem } from '@support-chat/protocol';
import { t } from '../i18n/index.ts';
import { categoryLabel, confidenceLabel, reasonLabel, visitorLabel, waitedLabel } from './format.ts';

export interface QueueListProps {
  items: QueueItem[];
  loaded: boolean;
  selectedId: string | null;
  /** The logged-in operator's id: their own conversations read "Yours". */
  me: string;
  now: number;
  onSelect: (conversationId: string) => void;
}

/** Up/Down move between rows, so the queue can be walked without the mouse. */
function moveFocus(e: KeyboardEvent) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const rows = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLButtonElement>('button.queue-row')];
  const at = rows.indexOf(document.activeElement as HTMLButtonElement);
  if (at < 0) return;
  e.preventDefault();
  rows[Math.min(rows.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
}

export function QueueList({ items, loaded, selectedId, me, now, onSelect }: QueueListProps) {
  return (
    <section class="panel queue" aria-labelledby="queue-title">
      <h2 id="queue-title">
        {t('queue.title')} <span class="count">{items.length}</span>
      </h2>
      {!loaded ? (
        <p class="muted pad">{t('queue.loading')}</p>
      ) : items.length === 0 ? (
        <p class="muted pad">{t('queue.empty')}</p>
      ) : (
        <ul class="rows" onKeyDown={moveFocus}>
          {items.map((item) => (
            <li key={item.conversationId}>
              <button
                type="button"
                class={`queue-row${item.priority === 'HIGH' ? ' high' : ''}`}
                aria-current={item.conversationId === selectedId ? 'true' : undefined}
                data-testid="queue-row"
                data-conversation-id={item.conversationId}
                onClick={() => onSelect(item.conversationId)}
              >
                <span class="row-line">
                  {item.priority === 'HIGH' && <span class="badge high">{t('inbox.highBadge')}</span>}
                  {item.channel === 'TELEGRAM' && <span class="badge channel">Telegram</span>}
                  <span class="visitor" title={item.visitorEmail ?? item.visitorId} data-testid="queue-visitor">
                    {visitorLabel(item)}
                  </span>
                  <span class="waited" title={t('queue.waitingSince')}>
                    {waitedLabel(item.escalatedAt, now)}
                  </span>
                </span>
                <span class="row-line meta">
                  <span class="intent" data-testid="queue-intent">{categoryLabel(item.category)}</span>
                  <span class="conf">{confidenceLabel(item.confidence)}</span>
                  <span class="reason" title={reasonLabel(item.escalationReason)}>
                    {reasonLabel(item.escalationReason)}
                  </span>
                </span>
                {item.lastMessage && <span class="last">{item.lastMessage}</span>}
                <span class="row-line meta">
                  <span class="site">{item.siteName}</span>
                  <span class={`owner${item.ownerId ? '' : ' free'}`}>
                    {item.ownerId === null ? t('queue.unassigned') : item.ownerId === me ? t('queue.yours') : t('queue.takenBy', { name: item.ownerName ?? t('queue.anOperator') })}
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
