/**
 * What visitors see of an operator: a display name and an avatar, set by the operator. Never the
 * account's name or email — an operator without a display name is "Operator" to visitors.
 */
import { LIMITS } from '@support-chat/protocol';
import { z } from 'zod';
import { httpUrl, plain } from '../sites/widget-settings.ts';

/** '' or null clears a field; only the fields sent change. */
const cleared = <T extends z.ZodType<string>>(field: T) => z.union([field, z.null()]).transform((v) => v || null);

export const operatorProfilePatch = z
  .object({
    displayName: cleared(plain(LIMITS.operatorDisplayNameMaxChars)),
    avatarUrl: cleared(z.union([z.literal(''), httpUrl])),
  })
  .partial()
  .strict();

export type OperatorProfilePatch = z.infer<typeof operatorProfilePatch>;

/** The name visitors see on an operator's messages: the site's team name, else the operator's display name. */
export function visibleOperatorName(siteOperatorName: string | null | undefined, displayName: string | null | undefined): string | null {
  return siteOperatorName || displayName || null;
}
