import type { ComponentChildren } from 'preact';
import type { CannedResponseDto, OperatorProfile, QueueItem, TeamMateDto } from '@support-chat/protocol';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { OpenConversation } from '../state/console-state.ts';
import { timeline } from '../state/messages.ts';
import { authorLabel, categoryLabel, confidenceLabel, reasonLabel, timeLabel, visitorLabel, waitedLabel } from './format.ts';
import { AnswerSources } from './AnswerSources.tsx';
import { ReplyBox } from './ReplyBox.tsx';
import { t } from '../i18n/index.ts';

export interface ConversationActions {
  claim(): Promise<void>;
  /** Resolves true once the server stored the reply. */
  reply(text: string, clientMessageId: string): Promise<boolean>;
  resolve(): Promise<void>;
  handBack(): Promise<void>;
  /** Brings the messages before the oldest one shown. */
  loadEarlier(): Promise<void>;
  /** Gives the conversation to another operator of its site. */
  transfer(operatorId: string): Promise<void>;
  /** Stores a private note; resolves true once the server stored it. */
  note(text: string): Promise<boolean>;
  /** Marks a knowledge-base answer wrong (or not); a refusal becomes the notice. */
  markWrong(messageId: string, wrong: boolean): Promise<void>;
  typing(): void;
  stopTyping(): void;
  newClientMessageId(): string;
}

export interface ConversationViewProps {
  conversation: OpenConversation;
  me: OperatorProfile;
  now: number;
  notice: string | null;
  actions: ConversationActions;
  /** The conversation's site's canned responses (the `/` picker). */
  canned: readonly CannedResponseDto[];
  /** Export and erase (ConversationTools). */
  tools?: ComponentChildren;
  /** The conversation's site's operators (the transfer picker). */
  team: readonly TeamMateDto[];
}

function statusLabel(item: QueueItem, me: OperatorProfile): string {
  switch (item.status) {
    case 'WAITING':
      return t('conversation.waiting');
    case 'OPERATOR':
      return item.ownerId === me.id ? t('conversation.youAnswer') : t('conversation.answeredBy', { name: item.ownerName ?? t('conversation.anOperator') });
    case 'BOT':
      return t('conversation.withBot');
    case 'RESOLVED':
      return t('conversation.resolved');
  }
}

export function ConversationView({ conversation, me, now, notice, actions, canned, tools, team }: ConversationViewProps) {
  const { item, messages, notes, visitorTyping, hasEarlier } = conversation;
  const [busy, setBusy] = useState<null | 'claim' | 'resolve' | 'handback' | 'earlier' | 'transfer'>(null);
  const [transferTo, setTransferTo] = useState('');
  const colleagues = team.filter((m) => m.operatorId !== me.id && m.operatorId !== item.ownerId);
  const active = item.status === 'WAITING' || item.status === 'OPERATOR';
  const mine = item.status === 'OPERATOR' && item.ownerId === me.id;

  const run = (which: NonNullable<typeof busy>, action: () => Promise<void>) => async () => {
    if (busy) return;
    setBusy(which);
    try {
      await action();
    } finally {
      setBusy(null);
    }
  };

  // Stay at the bottom while new messages arrive, unless the operator scrolled up to read.
  const log = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  useLayoutEffect(() => {
    const el = log.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [messages.length, notes.length, visitorTyping]);

  return (
    <section class="conversation" aria-labelledby="conversation-title" data-testid="conversation" data-status={item.status}>
      <header class="conversation-head">
        <div class="who">
          <h2 id="conversation-title" title={item.visitorId}>
            {visitorLabel(item)}
          </h2>
          <p class="muted small">
            {item.visitorEmail && (
              <>
                <a href={`mailto:${item.visitorEmail}`} data-testid="visitor-email">
                  {item.visitorEmail}
                </a>
                <span> · </span>
              </>
            )}
            {item.priority === 'HIGH' && <span class="badge high">{t('inbox.highBadge')}</span>}
            <span class={`status ${item.status.toLowerCase()}`} data-testid="conversation-status">
              {statusLabel(item, me)}
            </span>
            <span> · {item.siteName}</span>
          </p>
        </div>
        <div class="actions">
          {active && item.ownerId !== me.id && (
            <button type="button" class="primary" disabled={busy !== null} onClick={run('claim', actions.claim)}>
              {t('conversation.claim')}
            </button>
          )}
          {active && colleagues.length > 0 && (
            <span class="transfer">
              <select aria-label={t('conversation.transferTo')} value={transferTo} onChange={(e) => setTransferTo(e.currentTarget.value)}>
                <option value="">{t('conversation.transferToPick')}</option>
                {colleagues.map((m) => (
                  <option key={m.operatorId} value={m.operatorId}>
                    {m.name}
                    {m.online ? (m.availability === 'away' ? ` (${t('conversation.away')})` : '') : ` (${t('conversation.offline')})`} · {m.open}/{m.maxConversations}
                  </option>
                ))}
              </select>
              <button
                type="button"
                disabled={!transferTo || busy !== null}
                onClick={run('transfer', async () => {
                  await actions.transfer(transferTo);
                  setTransferTo('');
                })}
              >
                {t('conversation.transfer')}
              </button>
            </span>
          )}
          <button type="button" disabled={!active || busy !== null} onClick={run('handback', actions.handBack)}>
            {t('conversation.handBack')}
          </button>
          <button type="button" disabled={!active || busy !== null} onClick={run('resolve', actions.resolve)}>
            {t('conversation.resolve')}
          </button>
          {tools}
        </div>
      </header>

      <dl class="facts">
        <div>
          <dt>{t('conversation.intent')}</dt>
          <dd data-testid="conversation-intent">{categoryLabel(item.category)}</dd>
        </div>
        <div>
          <dt>{t('conversation.confidence')}</dt>
          <dd>{confidenceLabel(item.confidence)}</dd>
        </div>
        <div>
          <dt>{t('conversation.escalation')}</dt>
          <dd>{reasonLabel(item.escalationReason)}</dd>
        </div>
        <div>
          <dt>{t('conversation.waitingFor')}</dt>
          <dd>{waitedLabel(item.escalatedAt, now)}</dd>
        </div>
        <div>
          <dt>{t('conversation.owner')}</dt>
          <dd>{item.ownerId === null ? t('conversation.nobody') : item.ownerId === me.id ? t('conversation.you') : (item.ownerName ?? t('conversation.anotherOperator'))}</dd>
        </div>
      </dl>

      {notice && (
        <p class="notice error" role="alert" data-testid="conversation-notice">
          {notice}
        </p>
      )}

      <div
        class="messages"
        ref={log}
        role="log"
        aria-label={t('conversation.messages')}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {hasEarlier && (
          <p class="earlier">
            <button type="button" class="link" disabled={busy !== null} onClick={run('earlier', actions.loadEarlier)} data-testid="load-earlier">
              {busy === 'earlier' ? t('queue.loading') : t('conversation.loadEarlier')}
            </button>
          </p>
        )}
        <ol>
          {timeline(messages, notes).map((entry) =>
            entry.kind === 'note' ? (
              <li key={entry.note.id} class="msg note" data-testid="note">
                <div class="msg-meta">
                  <span class="msg-author">{entry.note.operatorName ?? t('author.operator')}</span>
                  <span class="msg-tag">{t('reply.note')}</span>
                  <time dateTime={entry.note.createdAt}>{timeLabel(entry.note.createdAt)}</time>
                </div>
                <p class="msg-text">{entry.note.text}</p>
              </li>
            ) : (
              <li key={entry.message.id} class={`msg ${entry.message.author}`} data-testid="message" data-author={entry.message.author}>
                <div class="msg-meta">
                  <span class="msg-author">{authorLabel(entry.message.author, entry.message.operatorName)}</span>
                  {entry.message.category && entry.message.author === 'visitor' && <span class="msg-tag">{categoryLabel(entry.message.category)}</span>}
                  <time dateTime={entry.message.createdAt}>{timeLabel(entry.message.createdAt)}</time>
                </div>
                {/* Text node only: whatever a visitor typed is never parsed as HTML. */}
                <p class="msg-text">{entry.message.text}</p>
                {entry.message.author === 'bot' && <AnswerSources message={entry.message} onMarkWrong={actions.markWrong} />}
              </li>
            ),
          )}
        </ol>
      </div>
      <p class="typing" aria-live="polite" data-testid="visitor-typing">
        {visitorTyping ? t('conversation.typing') : ''}
      </p>

      <ReplyBox
        enabled={mine}
        hint={
          item.status === 'RESOLVED'
            ? t('conversation.hintResolved')
            : item.status === 'BOT'
              ? t('conversation.hintBot')
              : mine
                ? null
                : item.ownerId && item.ownerId !== me.id
                  ? t('conversation.hintOther', { name: item.ownerName ?? t('conversation.anotherOperator') })
                  : t('conversation.hintClaim')
        }
        actions={actions}
        canned={canned}
        variables={{ visitor_name: item.visitorName, operator_name: me.name, site_name: item.siteName }}
      />
    </section>
  );
}
