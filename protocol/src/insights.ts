/**
 * What site admins read about their site's work: the audit log of operator actions, a
 * conversation's transcript, the analytics of a period. Used by the server and the console.
 */

/** Operator actions the audit log records. */
export type AuditAction =
  | 'conversation.claim'
  | 'conversation.transfer'
  | 'conversation.resolve'
  | 'conversation.handback'
  | 'visitor.erase'
  | 'template.save'
  | 'site.update'
  | 'member.add'
  | 'member.remove';

export interface AuditEntryDto {
  id: string;
  createdAt: string;
  /** Null once the operator's account is deleted (the name stays). */
  operatorId: string | null;
  operatorName: string;
  action: AuditAction;
  /** What it acted on (a conversation id, a template `CATEGORY/locale`, a site key); null when that was erased. */
  target: string | null;
  /** Small facts of the action: which fields changed, counts erased, to whom it was transferred. */
  detail: Record<string, unknown>;
}

export type TranscriptFormat = 'json' | 'text';

/** A conversation exported from the console, ready to save as a file. */
export interface TranscriptFile {
  filename: string;
  mimeType: string;
  content: string;
}

/** What an erase removed (nothing of the visitor is left in any table). */
export interface ErasureDto {
  conversations: number;
  messages: number;
}

/** A period of a site: `from` inclusive, `to` exclusive (ISO dates), hours in `timeZone` (IANA). */
export interface AnalyticsQuery {
  siteKey?: string;
  from: string;
  to: string;
  timeZone?: string;
}

/** Median and 90th percentile of a duration, in seconds; null when no conversation had one. */
export interface DurationStats {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface AnalyticsDto {
  from: string;
  to: string;
  timeZone: string;
  /** Conversations started in the period. */
  conversations: number;
  /** Of those, finished by the bot alone: never handed to an operator. */
  botOnly: number;
  /** botOnly / conversations (0..1); null with no conversations. */
  deflectionRate: number | null;
  /** Conversations of the period handed to operators, by reason kind (`complaint`, `human_request`, `repeat`, …). */
  escalationsByReason: Record<string, number>;
  /** From the hand-off to the first operator message. */
  firstResponse: DurationStats;
  /** From the conversation's start to its resolution. */
  resolution: DurationStats;
  /** Visitors' 1–5 ratings: average (null without any) and how many of each. */
  csat: { count: number; average: number | null; distribution: Record<'1' | '2' | '3' | '4' | '5', number> };
  /** Conversations started in each hour of the day (0–23, in `timeZone`). */
  byHour: number[];
}
