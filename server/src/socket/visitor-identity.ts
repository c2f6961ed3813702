/**
 * `SupportChat('identify', {userId, signature})`: the site's backend vouches for its logged-in
 * user by signing the user id with the site's identity secret — hex(HMAC-SHA256(secret, userId)),
 * the Intercom/Crisp scheme — or by issuing a short-lived HS256 JWT with that secret (`sub` =
 * userId, `exp` within an hour). Only the user id is signed: it is what names the conversation.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { jwtVerify } from 'jose';

/** A JWT that lives longer is a standing credential, which a leaked page would hand out. */
export const IDENTITY_JWT_MAX_LIFETIME_S = 3600;

export type IdentityCheck = { ok: true } | { ok: false; reason: string };

/** hex(HMAC-SHA256(secret, userId)): what the site's backend computes. */
export function identitySignature(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId).digest('hex');
}

export async function checkIdentity(secret: string, userId: string, signature: string, now: Date = new Date()): Promise<IdentityCheck> {
  if (signature.split('.').length === 3) return checkJwt(secret, userId, signature, now);
  // Digests have one length whatever was sent, so the comparison takes the same time.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(signature.toLowerCase()), digest(identitySignature(secret, userId)))
    ? { ok: true }
    : { ok: false, reason: 'the signature does not match the userId (expected hex HMAC-SHA256 of the userId with the site identity secret)' };
}

async function checkJwt(secret: string, userId: string, token: string, now: Date): Promise<IdentityCheck> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'], currentDate: now, requiredClaims: ['sub', 'exp'] });
    if (payload.sub !== userId) return { ok: false, reason: 'the token is for another userId' };
    if (payload.exp! - now.getTime() / 1000 > IDENTITY_JWT_MAX_LIFETIME_S) return { ok: false, reason: `the token must expire within ${IDENTITY_JWT_MAX_LIFETIME_S} s` };
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `the token is not valid (${(error as Error).message})` };
  }
}
