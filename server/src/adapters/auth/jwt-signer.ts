import { SignJWT, jwtVerify } from 'jose';
import type { TokenSigner } from '../../services/operator-auth.ts';

/**
 * HS256 JWTs signed with SECRET_KEY; `sub` is the operator id, `ver` the operator's token version
 * when it was issued (a raised version revokes it). Only HS256 is accepted: `alg: none` and
 * tokens for another audience are refused.
 */
export function jwtSigner(secret: string, ttlMinutes: number): TokenSigner {
  const key = new TextEncoder().encode(secret);
  return {
    sign: (operatorId, version) =>
      new SignJWT({ ver: version })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(operatorId)
        .setIssuedAt()
        .setExpirationTime(`${ttlMinutes}m`)
        .setAudience('operator')
        .sign(key),
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], audience: 'operator' });
        if (typeof payload.sub !== 'string' || !Number.isInteger(payload.ver)) return null;
        return { operatorId: payload.sub, version: payload.ver as number };
      } catch {
        return null;
      }
    },
  };
}
