import { LIMITS, NOTE_MAX_CHARS, type CannedResponseDto } from '@support-chat/protocol';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { fillVariables, insertCanned, matchCanned, slashQuery, type CannedVariables } from '../state/canned.ts';
import type { ConversationActions } from './ConversationView.tsx';

export interface ReplyBoxProps {
  /** Only the owner of a taken conversation replies (any operator of the site may write a note). */
  enabled: boolean;
  /** Why replying is disabled. */
  hint: string | null;
  actions: Pick<ConversationActions, 'reply' | 'note' | 'typing' | 'stopTyping' | 'newClientMessageId'>;
  /** The site's canned responses, offered when the operator types `/`. */
  canned: readonly CannedResponseDto[];
  /** What their `{{variables}}` become in this conversation. */
  variables: CannedVariables;
}

type Mode = 'reply' | 'note';

/**
 * Enter sends, Shift+Enter is a newline. A failed send keeps the text and retries with the same id.
 * In note mode the text goes to the site's operators only: no typing indicator reaches the visitor.
 */
export function ReplyBox({ enabled, hint, actions, canned, variables }: ReplyBoxProps) {
  const [mode, setMode] = useState<Mode>('reply');
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  /** The picker's highlighted row; Escape closes the picker until the draft changes. */
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const placeCaret = useRef<number | null>(null);
  const [sending, setSending] = useState(false);
  // One id per draft: a retry after a lost ack is stored once by the server.
  const draftId = useRef<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const noting = mode === 'note';
  const canSend = noting || enabled;
  const max = noting ? NOTE_MAX_CHARS : LIMITS.messageMaxChars;
  const slash = canSend && !dismissed ? slashQuery(text, caret) : null;
  const matches = slash ? matchCanned(canned, slash.query) : [];
  const picking = matches.length > 0;

  useLayoutEffect(() => {
    const el = input.current;
    if (el && placeCaret.current !== null) {
      el.setSelectionRange(placeCaret.current, placeCaret.current);
      placeCaret.current = null;
    }
  }, [text]);

  const edit = (value: string, at: number) => {
    if (value !== text) {
      draftId.current = null;
      setDismissed(false);
      setActive(0);
    }
    setText(value);
    setCaret(at);
    if (noting) return;
    if (value.trim()) actions.typing();
    else actions.stopTyping();
  };

  /** Puts the chosen response in place of the `/query`, filled in; the operator may edit it before sending. */
  const choose = (response: CannedResponseDto) => {
    if (!slash) return;
    const next = insertCanned(text, slash, caret, fillVariables(response.text, variables));
    placeCaret.current = next.caret;
    edit(next.text, next.caret);
    input.current?.focus();
  };

  const send = async () => {
    const body = text.trim();
    if (!canSend || sending || !body) return;
    setSending(true);
    let ok: boolean;
    if (noting) ok = await actions.note(body);
    else {
      draftId.current ??= actions.newClientMessageId();
      ok = await actions.reply(body, draftId.current);
    }
    setSending(false);
    if (ok) {
      draftId.current = null;
      setText('');
      setCaret(0);
    }
    input.current?.focus();
  };

  const switchTo = (next: Mode) => {
    if (next === mode) return;
    actions.stopTyping();
    setMode(next);
    input.current?.focus();
  };

  return (
    <form
      class={`reply ${mode}`}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div class="reply-modes" role="group" aria-label={t('reply.write')}>
        <button type="button" class="tab" aria-pressed={!noting} onClick={() => switchTo('reply')}>
          {t('reply.reply')}
        </button>
        <button type="button" class="tab" aria-pressed={noting} onClick={() => switchTo('note')}>
          {t('reply.note')}
        </button>
      </div>
      {picking && (
        <ul class="canned-picker" role="listbox" id="canned-picker" aria-label={t('header.canned')}>
          {matches.map((r, i) => (
            <li
              key={r.id}
              role="option"
              id={`canned-${r.id}`}
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault(); // keeps the focus (and the caret) in the textarea
                choose(r);
              }}
            >
              <span class="canned-shortcut">/{r.shortcut}</span>
              {/* Text nodes only: a canned response is never rendered as HTML. */}
              <span class="canned-text">{r.text}</span>
            </li>
          ))}
        </ul>
      )}
      <label for="reply-text" class="sr-only">
        {noting ? t('reply.note') : t('reply.reply')}
      </label>
      <textarea
        id="reply-text"
        ref={input}
        rows={3}
        maxLength={max}
        placeholder={noting ? t('reply.notePlaceholder') : enabled ? t('reply.placeholder') : ''}
        disabled={!canSend}
        aria-describedby={hint && !noting ? 'reply-hint' : undefined}
        aria-controls={picking ? 'canned-picker' : undefined}
        aria-activedescendant={picking ? `canned-${matches[Math.min(active, matches.length - 1)]!.id}` : undefined}
        value={text}
        onInput={(e) => edit(e.currentTarget.value, e.currentTarget.selectionStart ?? e.currentTarget.value.length)}
        onKeyUp={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
        onClick={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
        onKeyDown={(e) => {
          if (picking && !e.isComposing) {
            const chosen = matches[Math.min(active, matches.length - 1)]!;
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
              return;
            }
            if (e.key === 'Enter' || e.key === 'Tab') {
              e.preventDefault();
              choose(chosen);
              return;
            }
            if (e.key === 'Escape') {
              e.preventDefault();
              setDismissed(true);
              return;
            }
          }
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void send();
          }
        }}
        onBlur={() => actions.stopTyping()}
      />
      <div class="reply-bar">
        {hint && !noting ? (
          <span id="reply-hint" class="muted small">
            {hint}
          </span>
        ) : (
          <span class="muted small">{text.length > max - 200 ? `${text.length} / ${max}` : ''}</span>
        )}
        <button type="submit" class="primary" disabled={!canSend || sending || !text.trim()}>
          {sending ? t('reply.sending') : noting ? t('reply.addNote') : t('reply.send')}
        </button>
      </div>
    </form>
  );
}
