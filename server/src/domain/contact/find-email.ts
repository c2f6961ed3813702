/**
 * The email address a visitor leaves in a message ("пишите на anna@example.com"), so the
 * offline escalation's "leave your email" has somewhere to go. Conservative on purpose: one
 * plain address, the kind a person types; anything odd is left in the message for a human.
 */
const EMAIL = /(?<![\w.+@-])[a-z0-9](?:[a-z0-9._%+-]{0,62}[a-z0-9])?@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?![\w@-])/gi;
const MAX_LENGTH = 254;

/** The address in `text`, lower-cased; null when there is none or more than one. */
export function findEmail(text: string): string | null {
  const found = new Set([...text.matchAll(EMAIL)].map((m) => m[0].toLowerCase()));
  if (found.size !== 1) return null;
  const [email] = found;
  return email!.length <= MAX_LENGTH && !email!.includes('..') ? email! : null;
}
