/**
 * The intents a visitor message can have. Defined once: the classifier, templates, escalation,
 * stats and every payload use this list (and the LLM's JSON schema makes it an enum).
 */
export const CATEGORIES = [
  'GREETING',
  'FAREWELL',
  'THANKS',
  'TECH_SUPPORT_BASIC',
  'OUTAGE_REPORT',
  'BILLING',
  'ACCOUNT',
  'COMPLAINT',
  'HUMAN_REQUEST',
  'UNKNOWN',
] as const;

export type Category = (typeof CATEGORIES)[number];

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}

/**
 * Template keys: a reply template per category, plus the service messages the bot sends on its
 * own (first-message welcome, hand-offs, known outage, queue notice, resolution, hand-back).
 */
export const SERVICE_TEMPLATE_KEYS = [
  'WELCOME',
  'ESCALATION',
  'ESCALATION_OFFLINE',
  'ESCALATION_OFFLINE_NO_EMAIL',
  'ESCALATION_REPEAT',
  'OUTAGE_KNOWN',
  'QUEUED',
  'OPERATOR_JOINED',
  'CONTACT_SAVED',
  'RESOLVED',
  'HANDBACK',
] as const;
export const TEMPLATE_KEYS = [...CATEGORIES, ...SERVICE_TEMPLATE_KEYS] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

/** Who understood the message; `knowledge`: the site's knowledge base answered it. */
export type ClassificationSource = 'llm' | 'local' | 'cache' | 'knowledge';

export interface Classification {
  category: Category;
  /** 0..1, calibrated: UNKNOWN is returned when the classifier cannot place a message confidently. */
  confidence: number;
  source: ClassificationSource;
}
