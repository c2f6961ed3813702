/**
 * Fills `{{variable}}` placeholders. A missing variable never reaches a visitor as raw `{{…}}`:
 * it takes the fallback given for it, or disappears with its surrounding punctuation tidied.
 */
export type TemplateVariables = Record<string, string | null | undefined>;

const PLACEHOLDER = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/gi;

export function renderTemplate(text: string, variables: TemplateVariables, fallbacks: TemplateVariables = {}): string {
  const filled = text.replace(PLACEHOLDER, (_, name: string) => {
    const value = variables[name] ?? fallbacks[name];
    return value == null ? '' : String(value).trim();
  });
  return stripBraces(filled)
    .replace(/[ \t]+([,.!?;:])/g, '$1') // "Здравствуйте , !" → "Здравствуйте!"
    .replace(/,\s*([.!?])/g, '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/** A broken placeholder ("{{name") is never shown as-is; repeated because stripping can join
 * single braces into a new pair ("{}}{x}{{}" → "{{x}}"). */
function stripBraces(text: string): string {
  let previous: string;
  do {
    previous = text;
    text = text.replace(/\{\{|\}\}/g, '');
  } while (text !== previous);
  return text;
}
