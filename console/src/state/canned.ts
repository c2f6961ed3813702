/**
 * The `/` picker of the reply box, as pure functions: where a `/query` is being typed, which canned
 * responses match it, and the text a chosen one inserts with its variables filled in.
 */
import type { CannedResponseDto } from '@support-chat/protocol';

export interface SlashQuery {
  /** Where the `/` is in the draft. */
  start: number;
  /** What follows it up to the caret, lower-cased. */
  query: string;
}

/** A `/word` ending at the caret, at the start of the draft or after a space; null otherwise. */
export function slashQuery(draft: string, caret: number): SlashQuery | null {
  const match = /(^|\s)\/([\p{L}\p{N}_-]*)$/u.exec(draft.slice(0, caret));
  if (!match) return null;
  return { start: match.index + match[1]!.length, query: match[2]!.toLowerCase() };
}

/** Shortcuts starting with the query first, then those containing it anywhere (shortcut or text). */
export function matchCanned(responses: readonly CannedResponseDto[], query: string, limit = 8): CannedResponseDto[] {
  const q = query.toLowerCase();
  const prefix = responses.filter((r) => r.shortcut.toLowerCase().startsWith(q));
  const inside = responses.filter((r) => !prefix.includes(r) && (r.shortcut.toLowerCase().includes(q) || r.text.toLowerCase().includes(q)));
  return [...prefix, ...inside].slice(0, limit);
}

export type CannedVariables = Partial<Record<'visitor_name' | 'operator_name' | 'site_name', string | null>>;

/**
 * `{{name}}` becomes its value. A variable with no value is dropped with the comma or space before
 * it ("Здравствуйте, {{visitor_name}}!" → "Здравствуйте!"); an unknown one is left for the operator to see.
 */
export function fillVariables(text: string, variables: CannedVariables): string {
  return text.replace(/([,\s]*)\{\{\s*([a-z_]+)\s*\}\}/g, (whole, before: string, name: string) => {
    if (!(name in variables)) return whole;
    const value = variables[name as keyof CannedVariables]?.trim();
    return value ? `${before}${value}` : '';
  });
}

/** The draft with the `/query` replaced by the filled text, and where the caret goes after it. */
export function insertCanned(draft: string, at: SlashQuery, caret: number, filled: string): { text: string; caret: number } {
  const text = draft.slice(0, at.start) + filled + draft.slice(caret);
  return { text, caret: at.start + filled.length };
}
