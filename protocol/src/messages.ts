/** What every client (widget, console, REST) sees of a stored message. */
export type Author = 'visitor' | 'bot' | 'operator' | 'system';

export interface MessageDto {
  id: string;
  conversationId: string;
  /** Per-conversation order, starting at 1; clients resume from the last seq they showed. */
  seq: number;
  author: Author;
  text: string;
  clientMessageId: string | null;
  createdAt: string;
  category: string | null;
  operatorName?: string | null;
  /** The operator's avatar (http(s)) on their messages and on the "operator joined" notice, when they set one. */
  avatarUrl?: string | null;
  /** A bot answer quoted from the site's knowledge base: the article(s) it comes from. */
  sources?: KnowledgeSource[] | null;
  /** An operator marked this bot answer wrong (operators only; never sent to visitors). */
  markedWrong?: boolean;
}

/** An article a bot answer quotes: shown as "title ↗" under the answer; `score` is 0..1. */
export interface KnowledgeSource {
  articleId: string;
  title: string;
  url: string | null;
  score: number;
}

export type ConversationStatus = 'BOT' | 'WAITING' | 'OPERATOR' | 'RESOLVED';
export type Priority = 'NORMAL' | 'HIGH';

/** Limits shared by the widget (to say no early) and the server (to enforce). */
export const LIMITS = {
  messageMaxChars: 4000,
  clientMessageIdMaxChars: 100,
  visitorIdMaxChars: 100,
  siteKeyMaxChars: 100,
  visitorNameMaxChars: 100,
  visitorEmailMaxChars: 254,
  /** An operator's display name, as visitors see it. */
  operatorDisplayNameMaxChars: 60,
  avatarUrlMaxChars: 2000,
  /** Sequence numbers are stored as a 32-bit integer. */
  seqMax: 2 ** 31 - 1,
} as const;

/** Every acknowledgement has this shape, so clients never guess whether a call worked. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export interface ErrorBody {
  code: string;
  message: string;
  /** With `rate_limited`: seconds until the client may try again. */
  retryAfterSeconds?: number;
}
