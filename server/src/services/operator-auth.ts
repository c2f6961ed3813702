/**
 * Operator accounts and sessions: passwords hashed with Argon2id (memory-hard), logins answered
 * with a short-lived JWT signed with SECRET_KEY. A token carries the operator's token version;
 * logging out or a new password raises it, which revokes every token issued before. The KDF and
 * the token library are ports so this file stays free of crypto details.
 */
import type { OperatorProfile, OperatorRole, SiteRole } from '@support-chat/protocol';
import type { ChatStore, MembershipRecord } from './ports.ts';
import type { OperatorProfilePatch } from '../domain/operators/public-profile.ts';
import { OperatorError } from './operator-errors.ts';
import { profileOf } from './site-access.ts';

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
    return (await this.session(token))?.operator ?? null;
  }

  /** `authenticate`, with the ids of the operator's sites (the socket layer's rooms). */
  async session(token: string): Promise<{ operator: OperatorProfile; memberships: MembershipRecord[] } | null> {
    const claims = await this.tokens.verify(token);
    if (!claims) return null;
    const record = await this.store.getOperator(claims.operatorId);
    return record && record.tokenVersion === claims.version ? { operator: profile(record), memberships: record.memberships } : null;
  }

  /** Ends every session of the token's operator (all devices); false when the token was not valid. */
  async logout(token: string): Promise<boolean> {
    const operator = await this.authenticate(token);
    if (!operator) return false;
    await this.store.revokeOperatorTokens(operator.id);
    return true;
  }

  /**
   * Creates or updates an account (a new password revokes its sessions). `sites` are joined with
   * the given role, other memberships kept; an `owner` needs none.
   */
  async upsert(input: { email: string; name: string; role: OperatorRole; password: string; sites?: { siteKey: string; role: SiteRole }[] }): Promise<OperatorProfile> {
    const record = await this.store.upsertOperator(
      {
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash: await this.hasher.hash(input.password),
      },
      input.sites,
    );
    return profile(record);
  }

  /** The operator's own display name and avatar, as visitors see them (the fields given change). */
  async updateProfile(operatorId: string, patch: OperatorProfilePatch): Promise<OperatorProfile> {
    const record = await this.store.updateOperatorProfile(operatorId, patch);
    if (!record) throw new OperatorError('not_found', 'No such operator');
    return profile(record);
  }

  private dummy: Promise<string> | null = null;
  private dummyHash(): Promise<string> {
    this.dummy ??= this.hasher.hash('not-a-real-password');
    return this.dummy;
  }
}

const profile = profileOf;
