import { SignJWT, jwtVerify } from 'jose';
import type { TokenSigner } from '../../services/operator-auth.ts';

/** HS256 JWTs signed with SECRET_KEY; `sub` is the operator id. */
export function jwtSigner(secret: string, ttlMinutes: number): TokenSigner {
  const key = new TextEncoder().encode(secret);
  return {
    sign: (operatorId) =>
      new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(operatorId).setIssuedAt().setExpirationTime(`${ttlMinutes}m`).setAudience('operator').sign(key),
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], audience: 'operator' });
        return typeof payload.sub === 'string' ? payload.sub : null;
      } catch {
        return null;
      }
    },
  };
}
