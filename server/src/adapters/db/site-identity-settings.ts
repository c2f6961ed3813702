/**
 * A site's visitor-identity settings (`Site.identitySecret`, `requireVerifiedIdentity`,
 * `allowOriginless`), as `pnpm identity:secret` changes them. The secret stays readable because
 * every identified handshake is verified with it; it is printed only when made or rotated.
 */
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../generated/prisma/client.ts';

export interface IdentityChanges {
  /** Replace the secret: every signature made with the old one is refused from then on. */
  rotate?: boolean;
  requireVerifiedIdentity?: boolean;
  allowOriginless?: boolean;
}

export interface IdentitySettings {
  /** The secret, only when it was made or replaced by this call. */
  newSecret: string | null;
  requireVerifiedIdentity: boolean;
  allowOriginless: boolean;
}

/** 32 random bytes as hex: an ASCII string every language's HMAC takes as the key as it is. */
export const newIdentitySecret = () => randomBytes(32).toString('hex');

export class SiteIdentitySettings {
  constructor(private readonly db: PrismaClient) {}

  /** Applies the changes (making the secret when the site has none); null for an unknown site. */
  async apply(siteKey: string, changes: IdentityChanges): Promise<IdentitySettings | null> {
    const site = await this.db.site.findUnique({ where: { key: siteKey }, select: { id: true, identitySecret: true } });
    if (!site) return null;
    const newSecret = changes.rotate || !site.identitySecret ? newIdentitySecret() : null;
    const updated = await this.db.site.update({
      where: { id: site.id },
      data: {
        ...(newSecret ? { identitySecret: newSecret } : {}),
        ...(changes.requireVerifiedIdentity === undefined ? {} : { requireVerifiedIdentity: changes.requireVerifiedIdentity }),
        ...(changes.allowOriginless === undefined ? {} : { allowOriginless: changes.allowOriginless }),
      },
      select: { requireVerifiedIdentity: true, allowOriginless: true },
    });
    return { newSecret, ...updated };
  }
}
