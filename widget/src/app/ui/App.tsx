import type { Ref, RefObject } from 'preact';
import type { ChatState } from '../chat.ts';
import type { Strings } from '../i18n.ts';
import { Composer } from './Composer.tsx';
import { MessageList } from './MessageList.tsx';
import { RatingPrompt } from './RatingPrompt.tsx';

export interface AppProps {
  chat: ChatState;
  open: boolean;
  t: Strings;
  lang: string;
  /** The site's subtitle under the title. */
  sub?: string | undefined;
  /** The site's logo or avatar, an http(s) URL (see `avatarSrc`); '' = none. */
  avatar?: string;
  /** The site's away message, outside its business hours. */
  away?: string;
  listRef: Ref<HTMLDivElement>;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  onClose: () => void;
  onSend: (text: string) => boolean;
  onRetry: (clientMessageId: string) => void;
  onRate: (rating: number) => void;
  onTyping: () => void;
}

/** The panel. Stateless: main.tsx re-renders it with the chat state on every change. */
export function App(p: AppProps) {
  const { chat, t } = p;
  const q = chat.queue;
  const waiting = chat.connected && chat.status === 'WAITING';
  const presence = chat.connected ? (chat.operatorsOnline > 0 || waiting ? 'on' : 'bot') : chat.refused ? 'no' : chat.lost ? 'off' : 'wait';
  // Waiting: "Ждём оператора · вы 2-й в очереди · обычно отвечают за ~5 мин" (each part only when known).
  const presenceText = waiting
    ? [t.waiting, q && t.place.replace('{n}', `${q.position}`), q?.estimateMinutes && t.usual.replace('{m}', `${q.estimateMinutes}`)].filter(Boolean).join(' · ')
    : { on: t.online, bot: t.botOnly, off: t.offline, wait: t.connecting, no: t.unavailable }[presence];
  return (
    <section
      id="sc-panel"
      class="panel"
      part="panel"
      role="dialog"
      aria-label={t.dialog}
      hidden={!p.open}
      onKeyDown={(e) => e.key === 'Escape' && p.onClose()}
    >
      <header class="head">
        {p.avatar && <img class="av" src={p.avatar} alt="" width={36} height={36} />}
        <div>
          <h2>{t.title}</h2>
          {p.sub && <p class="sub">{p.sub}</p>}
          <p class="presence">
            <span class={`dot ${presence}`} aria-hidden="true" />
            {presenceText}
          </p>
        </div>
        <button type="button" class="x" aria-label={t.closeChat} onClick={p.onClose}>
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M6 6l12 12M18 6 6 18" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
          </svg>
        </button>
      </header>
      {p.away && (
        <div class="away" role="status">
          {p.away}
        </div>
      )}
      {chat.incident && (
        <div class={`incident ${chat.incident.status === 'RESOLVED' ? 'ok' : ''}`} role="status">
          {chat.incident.text}
        </div>
      )}
      {/* Refused: no greeting inviting a question that cannot be sent, and no composer. */}
      <MessageList items={chat.items} t={chat.refused ? { ...t, welcome: t.unavailable } : t} lang={p.lang} listRef={p.listRef} onRetry={p.onRetry} />
      <div class="typing" role="status">
        {chat.typing && (
          <>
            <span class="dots" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
            {t.typing}
          </>
        )}
      </div>
      <RatingPrompt state={chat.rating} t={t} onRate={p.onRate} />
      {!chat.refused && <Composer t={t} inputRef={p.inputRef} onSend={p.onSend} onTyping={p.onTyping} />}
    </section>
  );
}
