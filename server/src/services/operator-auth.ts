/**
 * Operator accounts and sessions: passwords hashed with Argon2id (memory-hard), logins answered
 * with a short-lived JWT signed with SECRET_KEY. A token carries the operator's token version;
 * logging out or a new password raises it, which revokes every token issued before. The KDF and
 * the token library are ports so this file stays free of crypto details.
 */
import type { OperatorProfile } from '@support-chat/protocol';
import type { ChatStore, OperatorRecord } from './ports.ts';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export interface TokenSigner {
  sign(operatorId: string, version: number): Promise<string>;
  /** The operator id and token version in a valid, unexpired token; null otherwise. */
  verify(token: string): Promise<{ operatorId: string; version: number } | null>;
}

export class OperatorAuth {
  constructor(
    private readonly store: ChatStore,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenSigner,
  ) {}

  async login(email: string, password: string): Promise<{ token: string; operator: OperatorProfile } | null> {
    const record = await this.store.findOperatorByEmail(email);
    // Verify against a dummy hash when the email is unknown, so timing does not reveal accounts.
    const ok = await this.hasher.verify(record?.passwordHash ?? (await this.dummyHash()), password);
    if (!record || !ok) return null;
    return { token: await this.tokens.sign(record.id, record.tokenVersion), operator: profile(record) };
  }

  /** The operator of a valid token that has not been revoked; null otherwise (throws only when the store does). */
  async authenticate(token: string): Promise<OperatorProfile | null> {
    const claims = await this.tokens.verify(token);
    if (!claims) return null;
    const record = await this.store.getOperator(claims.operatorId);
    return record && record.tokenVersion === claims.version ? profile(record) : null;
  }

  /** Ends every session of the token's operator (all devices); false when the token was not valid. */
  async logout(token: string): Promise<boolean> {
    const operator = await this.authenticate(token);
    if (!operator) return false;
    await this.store.revokeOperatorTokens(operator.id);
    return true;
  }

  async upsert(input: { email: string; name: string; role: 'operator' | 'admin'; password: string }): Promise<OperatorProfile> {
    const record = await this.store.upsertOperator({
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash: await this.hasher.hash(input.password),
    });
    return profile(record);
  }

  private dummy: Promise<string> | null = null;
  private dummyHash(): Promise<string> {
    this.dummy ??= this.hasher.hash('not-a-real-password');
    return this.dummy;
  }
}

function profile(r: OperatorRecord): OperatorProfile {
  return { id: r.id, email: r.email, name: r.name, role: r.role };
}
