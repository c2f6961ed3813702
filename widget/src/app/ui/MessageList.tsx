import type { KnowledgeSource } from '@support-chat/protocol';
import type { Ref } from 'preact';
import type { Strings } from '../i18n.ts';
import type { ChatItem } from '../messages.ts';
import { avatarSrc } from '../site-settings.ts';
import { Text } from './Text.tsx';

export interface MessageListProps {
  items: ChatItem[];
  t: Strings;
  lang: string;
  listRef: Ref<HTMLDivElement>;
  onRetry: (clientMessageId: string) => void;
}

export function MessageList({ items, t, lang, listRef, onRetry }: MessageListProps) {
  return (
    <div class="log" role="log" aria-live="polite" aria-label={t.log} ref={listRef} tabIndex={0}>
      {items.length === 0 && <p class="m system">{t.welcome}</p>}
      {items.map((m) => (
        <div key={m.id} class={`m ${m.author}${m.state ? ` ${m.state}` : ''}`}>
          {avatarSrc(m.avatarUrl) && <img class="av" src={m.avatarUrl!} alt="" width={36} height={36} />}
          {m.author === 'operator' && <span class="who">{m.operatorName || t.operator}</span>}
          <div class="bubble">
            <span class="sr">{authorLabel(m, t)}: </span>
            <Text text={m.text} />
          </div>
          {m.author === 'bot' && m.sources?.map((s) => <Source s={s} label={t.source} />)}
          {m.author !== 'system' && (
            <div class="meta">
              <time dateTime={m.createdAt}>{clock(m.createdAt, lang)}</time>
              {m.state === 'sending' && <span> · {t.sending}</span>}
              {m.state === 'sent' && <span title={t.sent}> · ✓<span class="sr">{t.sent}</span></span>}
              {m.state === 'failed' && (
                <>
                  <span class="err"> · {failureText(m, t)}</span>
                  <button type="button" class="retry" onClick={() => onRetry(m.clientMessageId!)}>
                    {t.retry}
                  </button>
                </>
              )}
            </div>
          )}
        </div>
      ))}
    </div>
  );
}

/**
 * "Source: <title>" under a knowledge-base answer, as text; the title is a link only to an
 * http(s) URL (the server vets it too, but stored history is read back from localStorage).
 */
function Source({ s, label }: { s: KnowledgeSource; label: string }) {
  const url = s.url && /^https?:\/\//i.test(s.url) ? s.url : null;
  return (
    <p class="src">
      {label}:{' '}
      {url ? (
        <a href={url} target="_blank" rel="noopener noreferrer">
          {s.title}
        </a>
      ) : (
        s.title
      )}
    </p>
  );
}

/** "Not sent", with the server's reason when it refused the message for good (and when to retry, if rate limited). */
function failureText(m: ChatItem, t: Strings): string {
  const refusal = m.refusal;
  if (!refusal) return t.failed;
  if (refusal.code === 'rate_limited' && refusal.retryAfterSeconds) return t.tooManyMessages.replace('{s}', String(refusal.retryAfterSeconds));
  return `${t.failed}: ${refusal.message}`;
}

function authorLabel(m: ChatItem, t: Strings): string {
  if (m.author === 'visitor') return t.you;
  if (m.author === 'operator') return m.operatorName || t.operator;
  if (m.author === 'bot') return t.bot;
  return t.title;
}

function clock(iso: string, lang: string): string {
  const date = new Date(iso);
  return isNaN(date.getTime()) ? '' : date.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
}
