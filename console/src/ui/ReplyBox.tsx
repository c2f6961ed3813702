import { LIMITS, NOTE_MAX_CHARS } from '@support-chat/protocol';
import { useRef, useState } from 'preact/hooks';
import type { ConversationActions } from './ConversationView.tsx';

export interface ReplyBoxProps {
  /** Only the owner of a taken conversation replies (any operator of the site may write a note). */
  enabled: boolean;
  /** Why replying is disabled. */
  hint: string | null;
  actions: Pick<ConversationActions, 'reply' | 'note' | 'typing' | 'stopTyping' | 'newClientMessageId'>;
}

type Mode = 'reply' | 'note';

/**
 * Enter sends, Shift+Enter is a newline. A failed send keeps the text and retries with the same id.
 * In note mode the text goes to the site's operators only: no typing indicator reaches the visitor.
 */
export function ReplyBox({ enabled, hint, actions }: ReplyBoxProps) {
  const [mode, setMode] = useState<Mode>('reply');
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  // One id per draft: a retry after a lost ack is stored once by the server.
  const draftId = useRef<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const noting = mode === 'note';
  const canSend = noting || enabled;
  const max = noting ? NOTE_MAX_CHARS : LIMITS.messageMaxChars;

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
      <div class="reply-modes" role="group" aria-label="Write">
        <button type="button" class="tab" aria-pressed={!noting} onClick={() => switchTo('reply')}>
          Reply
        </button>
        <button type="button" class="tab" aria-pressed={noting} onClick={() => switchTo('note')}>
          Private note
        </button>
      </div>
      <label for="reply-text" class="sr-only">
        {noting ? 'Private note' : 'Reply'}
      </label>
      <textarea
        id="reply-text"
        ref={input}
        rows={3}
        maxLength={max}
        placeholder={noting ? 'Only the site’s operators see notes — never the visitor' : enabled ? 'Write a reply — Enter sends, Shift+Enter adds a line' : ''}
        disabled={!canSend}
        aria-describedby={hint && !noting ? 'reply-hint' : undefined}
        value={text}
        onInput={(e) => {
          const value = e.currentTarget.value;
          if (value !== text) draftId.current = null;
          setText(value);
          if (noting) return;
          if (value.trim()) actions.typing();
          else actions.stopTyping();
        }}
        onKeyDown={(e) => {
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
          {sending ? 'Sending…' : noting ? 'Add note' : 'Send'}
        </button>
      </div>
    </form>
  );
}
