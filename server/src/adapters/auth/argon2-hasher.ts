import { hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '../../services/operator-auth.ts';

/** Argon2id with the library's defaults (19 MiB memory, 2 passes: OWASP's baseline). */
export const argon2Hasher: PasswordHasher = {
  hash: (password) => hash(password),
  verify: async (digest, password) => {
    try {
      return await verify(digest, password);
    } catch {
      return false;
    }
  },
};
