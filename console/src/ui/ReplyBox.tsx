import { LIMITS } from '@support-chat/protocol';
import { useRef, useState } from 'preact/hooks';
import type { ConversationActions } from './ConversationView.tsx';

export interface ReplyBoxProps {
  /** Only the owner of a taken conversation replies. */
  enabled: boolean;
  /** Why the box is disabled. */
  hint: string | null;
  actions: Pick<ConversationActions, 'reply' | 'typing' | 'stopTyping' | 'newClientMessageId'>;
}

/** Enter sends, Shift+Enter is a newline. A failed send keeps the text and retries with the same id. */
export function ReplyBox({ enabled, hint, actions }: ReplyBoxProps) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  // One id per draft: a retry after a lost ack is stored once by the server.
  const draftId = useRef<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  const send = async () => {
    const body = text.trim();
    if (!enabled || sending || !body) return;
    draftId.current ??= actions.newClientMessageId();
    setSending(true);
    const ok = await actions.reply(body, draftId.current);
    setSending(false);
    if (ok) {
      draftId.current = null;
      setText('');
    }
    input.current?.focus();
  };

  return (
    <form
      class="reply"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label for="reply-text" class="sr-only">
        Reply
      </label>
      <textarea
        id="reply-text"
        ref={input}
        rows={3}
        maxLength={LIMITS.messageMaxChars}
        placeholder={enabled ? 'Write a reply — Enter sends, Shift+Enter adds a line' : ''}
        disabled={!enabled}
        aria-describedby={hint ? 'reply-hint' : undefined}
        value={text}
        onInput={(e) => {
          const value = e.currentTarget.value;
          if (value !== text) draftId.current = null;
          setText(value);
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
        {hint ? (
          <span id="reply-hint" class="muted small">
            {hint}
          </span>
        ) : (
          <span class="muted small">{text.length > LIMITS.messageMaxChars - 200 ? `${text.length} / ${LIMITS.messageMaxChars}` : ''}</span>
        )}
        <button type="submit" class="primary" disabled={!enabled || sending || !text.trim()}>
          {sending ? 'Sending…' : 'Send'}
        </button>
      </div>
    </form>
  );
}
