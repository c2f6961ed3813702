/**
 * REST API keys in the `ApiKey` table. A key is `sk_` + 32 random bytes (base64url): with that
 * much entropy a plain SHA-256 is a safe way to store it (no salt or slow hash needed), and
 * verifying is one unique-index lookup by that hash — and for a key verified lately, none: see
 * `verified-key-cache.ts` (a revocation elsewhere is honoured within a second). `lastUsedAt` is
 * written at most once a minute per key and never waited for, so a busy key costs no extra write
 * per request.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { ApiKeyRecord, ApiKeys, Clock } from '../../services/ports.ts';
import { VerifiedKeyCache } from './verified-key-cache.ts';

const KEY_FORMAT = /^sk_[A-Za-z0-9_-]{43}$/;
const PREFIX_CHARS = 11; // "sk_" + 8 characters: 48 bits, enough to tell a site's keys apart
const TOUCH_EVERY_MS = 60_000;
const RECORD = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

export class PrismaApiKeys implements ApiKeys {
  private readonly touchedAt = new Map<string, number>();
  private readonly verified: VerifiedKeyCache;

  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly onError: (error: unknown, context: string) => void,
  ) {
    this.verified = new VerifiedKeyCache({ clock, stillActive: (ids) => this.stillActive(ids) });
  }

  async create(siteId: string, name: string): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = `sk_${randomBytes(32).toString('base64url')}`;
    const record = await this.db.apiKey.create({ data: { siteId, name, prefix: key.slice(0, PREFIX_CHARS), hash: sha256(key) }, select: RECORD });
    return { key, record };
  }

  list(siteId: string): Promise<ApiKeyRecord[]> {
    return this.db.apiKey.findMany({ where: { siteId }, select: RECORD, orderBy: { createdAt: 'asc' } });
  }

  async revoke(siteId: string, idOrPrefix: string): Promise<ApiKeyRecord | null> {
    const matches = await this.db.apiKey.findMany({ where: { siteId, OR: [{ id: idOrPrefix }, { prefix: idOrPrefix }] }, select: RECORD, take: 2 });
    if (matches.length !== 1) return null; // none, or a prefix two keys share: the admin names it by id
    const key = matches[0]!;
    if (key.revokedAt) return key;
    const revoked = await this.db.apiKey.update({ where: { id: key.id }, data: { revokedAt: this.clock.now() }, select: RECORD });
    this.verified.forgetKey(key.id);
    return revoked;
  }

  async verify(key: string): Promise<{ keyId: string; siteKey: string } | null> {
    if (!KEY_FORMAT.test(key)) return null;
    const hash = sha256(key);
    const cached = await this.verified.get(hash);
    if (cached) {
      this.touch(cached.keyId);
      return cached;
    }
    const readStartedAt = this.verified.now();
    const found = await this.db.apiKey.findUnique({ where: { hash }, select: { id: true, hash: true, revokedAt: true, site: { select: { key: true } } } });
    if (!found || found.revokedAt) return null;
    // The lookup already matched the hash; comparing in constant time keeps it so if lookups ever change.
    if (!timingSafeEqual(Buffer.from(found.hash, 'hex'), Buffer.from(hash, 'hex'))) return null;
    const verified = { keyId: found.id, siteKey: found.site.key };
    this.verified.add(hash, verified, readStartedAt);
    this.touch(found.id);
    return verified;
  }

  private async stillActive(ids: string[]): Promise<Array<{ keyId: string; siteKey: string }>> {
    const rows = await this.db.apiKey.findMany({ where: { id: { in: ids }, revokedAt: null }, select: { id: true, site: { select: { key: true } } } });
    return rows.map((r) => ({ keyId: r.id, siteKey: r.site.key }));
  }

  private touch(id: string): void {
    const now = this.clock.now();
    const last = this.touchedAt.get(id);
    if (last !== undefined && now.getTime() - last < TOUCH_EVERY_MS) return;
    this.touchedAt.set(id, now.getTime());
    this.db.apiKey.update({ where: { id }, data: { lastUsedAt: now }, select: { id: true } }).catch((error: unknown) => this.onError(error, 'api key last use'));
  }
}
