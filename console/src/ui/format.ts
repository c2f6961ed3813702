/** How codes and times read in the console. Unknown codes fall back to a readable form of themselves. */
import type { Author } from '@support-chat/protocol';

const CATEGORY_LABELS: Record<string, string> = {
  GREETING: 'Greeting',
  FAREWELL: 'Farewell',
  THANKS: 'Thanks',
  TECH_SUPPORT_BASIC: 'Tech support',
  OUTAGE_REPORT: 'Outage report',
  BILLING: 'Billing',
  ACCOUNT: 'Account',
  COMPLAINT: 'Complaint',
  HUMAN_REQUEST: 'Asked for a human',
  UNKNOWN: 'Unknown',
  WELCOME: 'Welcome (first reply)',
  ESCALATION: 'Escalation',
  ESCALATION_OFFLINE: 'Escalation, nobody online',
  ESCALATION_OFFLINE_NO_EMAIL: 'Escalation, nobody online, no email asked',
  ESCALATION_REPEAT: 'Escalation, repeated question',
  OUTAGE_KNOWN: 'Known outage',
  QUEUED: 'Waiting in queue',
  OPERATOR_JOINED: 'Operator joined',
  RESOLVED: 'Resolved',
  HANDBACK: 'Handed back to bot',
};

function readable(code: string): string {
  const text = code.toLowerCase().replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function categoryLabel(category: string | null): string {
  if (!category) return 'Not classified';
  return CATEGORY_LABELS[category] ?? readable(category);
}

export function confidenceLabel(confidence: number | null): string {
  return confidence === null ? '—' : `${Math.round(confidence * 100)}%`;
}

/** The server's reasons: `complaint`, `human_request×2`, `repeat:BILLING×3`, `low_confidence×3`. */
export function reasonLabel(reason: string | null): string {
  if (!reason) return '—';
  const match = /^([a-z_]+)(?::([A-Z_]+))?(?:×(\d+))?$/.exec(reason);
  if (!match) return reason;
  const [, kind = '', category, times] = match;
  const suffix = times ? ` ×${times}` : '';
  switch (kind) {
    case 'complaint':
      return `Complaint${suffix}`;
    case 'human_request':
      return `Asked for a human${suffix}`;
    case 'repeat':
      return `Repeated question${category ? ` (${categoryLabel(category)})` : ''}${suffix}`;
    case 'low_confidence':
      return `Bot unsure${suffix}`;
    default:
      return `${readable(kind)}${suffix}`;
  }
}

/** "just now", "4 min", "1 h 5 min", "2 d 3 h". */
export function waitedLabel(since: string | null, now: number): string {
  if (!since) return '—';
  const minutes = Math.floor(Math.max(0, now - Date.parse(since)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export function timeLabel(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function authorLabel(author: Author, operatorName?: string | null): string {
  switch (author) {
    case 'visitor':
      return 'Visitor';
    case 'bot':
      return 'Bot';
    case 'operator':
      return operatorName || 'Operator';
    case 'system':
      return 'System';
  }
}

/** Who the visitor is, as far as anyone knows: their name, else their email, else their id. */
export function visitorLabel(item: { visitorName: string | null; visitorEmail: string | null; visitorId: string }): string {
  return item.visitorName ?? item.visitorEmail ?? item.visitorId;
}
