import { LIMITS } from '@support-chat/protocol';
import type { RefObject } from 'preact';
import type { Strings } from '../i18n.ts';

export interface ComposerProps {
  t: Strings;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  /** Returns false when the text was not accepted (empty, too long): it stays in the field. */
  onSend: (text: string) => boolean;
  onTyping: () => void;
}

const MAX_HEIGHT = 120;

/** Uncontrolled textarea: Enter sends, Shift+Enter is a newline, it grows up to MAX_HEIGHT. */
export function Composer({ t, inputRef, onSend, onTyping }: ComposerProps) {
  const fit = (el: HTMLTextAreaElement) => {
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT)}px`;
  };
  const submit = () => {
    const el = inputRef.current;
    if (el && onSend(el.value)) {
      el.value = '';
      fit(el);
    }
  };
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label class="sr" for="sc-input">
        {t.message}
      </label>
      <textarea
        id="sc-input"
        ref={inputRef}
        rows={1}
        maxLength={LIMITS.messageMaxChars}
        placeholder={t.placeholder}
        enterkeyhint="send"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
        onInput={(e) => {
          fit(e.currentTarget);
          onTyping();
        }}
      />
      <button type="submit" class="send" aria-label={t.send}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M3 20.5 21.5 12 3 3.5v6.6L15 12 3 13.9z" fill="currentColor" />
        </svg>
      </button>
    </form>
  );
}
