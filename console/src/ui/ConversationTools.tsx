/**
 * A conversation's privacy tools: download its transcript (JSON or plain text), and, for the
 * site's admins, erase its visitor with all their data (asked to confirm first: it cannot be undone).
 */
import type { TranscriptFile, TranscriptFormat } from '@support-chat/protocol';
import { useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';
import { t } from '../i18n/index.ts';
import { refusalText } from '../i18n/refusals.ts';

export interface ConversationToolsProps {
  socket: OperatorSocket;
  conversationId: string;
  canErase: boolean;
  /** After an erase: the conversation is gone. */
  onErased: (text: string) => void;
  onError: (text: string) => void;
}

/** Saves the file through a temporary link (the transcript never leaves the browser). */
function download(file: TranscriptFile): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function ConversationTools({ socket, conversationId, canErase, onErased, onError }: ConversationToolsProps) {
  const [busy, setBusy] = useState(false);

  const exportAs = (format: TranscriptFormat) => async () => {
    setBusy(true);
    const res = await request(socket, 'conversation:export', { conversationId, format });
    setBusy(false);
    if (res.ok) download(res.data);
    else onError(refusalText(res.error));
  };

  const erase = async () => {
    if (!confirm(t('tools.eraseConfirm'))) return;
    setBusy(true);
    const res = await request(socket, 'visitor:erase', { conversationId });
    setBusy(false);
    if (!res.ok) return onError(refusalText(res.error));
    const { conversations, messages } = res.data;
    onErased(t('tools.erased', { conversations: t('tools.conversations', { count: conversations }), messages: t('tools.messages', { count: messages }) }));
  };

  return (
    <div class="conversation-tools" data-testid="conversation-tools">
      <button type="button" class="quiet" disabled={busy} onClick={exportAs('json')}>
        {t('tools.exportJson')}
      </button>
      <button type="button" class="quiet" disabled={busy} onClick={exportAs('text')}>
        {t('tools.exportText')}
      </button>
      {canErase && (
        <button type="button" class="quiet danger" disabled={busy} onClick={erase}>
          {t('tools.erase')}
        </button>
      )}
    </div>
  );
}
