/**
 * Operator accounts and sessions: passwords hashed with Argon2id (memory-hard), logins answered
 * with a short-lived JWT signed with SECRET_KEY. The KDF and the token library are ports so
 * this file stays free of crypto details.
 */
import type { OperatorProfile } from '@support-chat/protocol';
import type { ChatStore, OperatorRecord } from './ports.ts';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export interface TokenSigner {
  sign(operatorId: string): Promise<string>;
  /** The operator id in a valid, unexpired token; null otherwise. */
  verify(token: string): Promise<string | null>;
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
    return { token: await this.tokens.sign(record.id), operator: profile(record) };
  }

  async authenticate(token: string): Promise<OperatorProfile | null> {
    const id = await this.tokens.verify(token);
    if (!id) return null;
    const record = await this.store.getOperator(id);
    return record ? profile(record) : null;
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
