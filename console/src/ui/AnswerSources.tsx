/**
 * Under a bot answer quoted from the knowledge base: the article(s) it came from with the
 * retrieval score, and the operator's "Wrong answer" mark (stored and counted by the server; the
 * button shows what the server acknowledged, not what was clicked).
 */
import type { MessageDto } from '@support-chat/protocol';
import { useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { isHttpUrl } from '../state/markdown.ts';

export interface AnswerSourcesProps {
  message: MessageDto;
  /** Resolves once the server answered (the new mark arrives as the updated message). */
  onMarkWrong: (messageId: string, wrong: boolean) => Promise<void>;
}

export function AnswerSources({ message, onMarkWrong }: AnswerSourcesProps) {
  const [busy, setBusy] = useState(false);
  const sources = message.sources ?? [];
  if (sources.length === 0) return null;
  const wrong = message.markedWrong === true;

  const toggle = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await onMarkWrong(message.id, !wrong);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="msg-sources" data-testid="answer-sources">
      <ul>
        {sources.map((s) => (
          <li key={s.articleId}>
            <span class="muted">{t('sources.from')} </span>
            {s.url && isHttpUrl(s.url) ? (
              <a href={s.url} target="_blank" rel="noopener noreferrer">
                {s.title}
              </a>
            ) : (
              <span>{s.title}</span>
            )}
            <span class="msg-tag" title={t('sources.score')} data-testid="source-score">
              {s.score.toFixed(2)}
            </span>
          </li>
        ))}
      </ul>
      <button type="button" class={`quiet wrong-mark${wrong ? ' on' : ''}`} aria-pressed={wrong} disabled={busy} onClick={toggle}>
        {t('sources.wrong')}
      </button>
    </div>
  );
}
