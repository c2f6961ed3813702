/**
 * SiteStore on Prisma: sites as the console manages them (create, change, the demo seed) and
 * their teams. Decides nothing: who may do what is the services' business (site-access.ts).
 */
import { randomBytes } from 'node:crypto';
import type { SiteRole } from '@support-chat/protocol';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type { NewSite, SiteChanges, SiteMemberRecord, SiteRecord, SiteStore } from '../../services/ports.ts';
import { siteFields, toSite } from './prisma-store.ts';

/** Lower-case letters and digits without look-alikes: a key is read off screens and typed. */
const KEY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const KEY_SUFFIX_CHARS = 8;
const KEY_ATTEMPTS = 5;

function keySuffix(): string {
  return [...randomBytes(KEY_SUFFIX_CHARS)].map((byte) => KEY_ALPHABET[byte % KEY_ALPHABET.length]).join('');
}

const memberSelect = { role: true, operator: { select: { id: true, email: true, name: true } } } as const satisfies Prisma.SiteMembershipSelect;
type MemberRow = Prisma.SiteMembershipGetPayload<{ select: typeof memberSelect }>;

const toMember = (row: MemberRow): SiteMemberRecord => ({ operatorId: row.operator.id, email: row.operator.email, name: row.operator.name, role: row.role });

const json = (value: unknown) => value as Prisma.InputJsonObject;

/** The fields `seed` refreshes from the environment. */
const seeded = ['name', 'locale', 'allowedOrigins'] as const;

export class PrismaSites implements SiteStore {
  constructor(private readonly db: PrismaClient) {}

  async list(siteIds?: readonly string[]): Promise<SiteRecord[]> {
    const rows = await this.db.site.findMany({ where: siteIds ? { id: { in: [...siteIds] } } : {}, select: siteFields, orderBy: [{ createdAt: 'asc' }, { key: 'asc' }] });
    return rows.map(toSite);
  }

  async create(site: { name: string; allowedOrigins: string[]; locale: string }, keyBase: string): Promise<SiteRecord> {
    for (let attempt = 1; ; attempt++) {
      try {
        return toSite(await this.db.site.create({ data: { ...site, key: `${keyBase}-${keySuffix()}` }, select: siteFields }));
      } catch (error) {
        // 31^8 suffixes: a collision is a freak; a second one in a row is a bug worth seeing.
        const taken = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
        if (!taken || attempt >= KEY_ATTEMPTS) throw error;
      }
    }
  }

  async update(siteId: string, changes: SiteChanges, at: Date): Promise<SiteRecord | null> {
    const { settings, ...fields } = changes;
    const { count } = await this.db.site.updateMany({
      where: { id: siteId },
      // What the start-up seed writes (name, locale, origins) is the console's from its first change on.
      data: { ...fields, ...(settings ? { widgetSettings: json(settings) } : {}), ...(seeded.some((f) => fields[f] !== undefined) ? { editedAt: at } : {}) },
    });
    if (count === 0) return null;
    const row = await this.db.site.findUnique({ where: { id: siteId }, select: siteFields });
    return row ? toSite(row) : null;
  }

  async seed(site: NewSite): Promise<SiteRecord> {
    const { settings, ...fields } = site;
    const created = await this.db.site.createManyAndReturn({
      data: [{ ...fields, ...(settings ? { widgetSettings: json(settings) } : {}) }],
      skipDuplicates: true,
      select: siteFields,
    });
    if (created[0]) return toSite(created[0]);
    // It exists: the environment still describes it until someone edits it in the console.
    await this.db.site.updateMany({ where: { key: site.key, editedAt: null }, data: { name: site.name, locale: site.locale, allowedOrigins: site.allowedOrigins } });
    return toSite(await this.db.site.findUniqueOrThrow({ where: { key: site.key }, select: siteFields }));
  }

  async members(siteId: string): Promise<SiteMemberRecord[]> {
    const rows = await this.db.siteMembership.findMany({ where: { siteId }, select: memberSelect, orderBy: [{ role: 'asc' }, { createdAt: 'asc' }] });
    return rows.map(toMember);
  }

  async setMember(siteId: string, operatorId: string, role: SiteRole): Promise<SiteMemberRecord> {
    return toMember(
      await this.db.siteMembership.upsert({
        where: { siteId_operatorId: { siteId, operatorId } },
        create: { siteId, operatorId, role },
        update: { role },
        select: memberSelect,
      }),
    );
  }

  async createMember(siteId: string, account: { email: string; name: string; passwordHash: string }, role: SiteRole): Promise<SiteMemberRecord | null> {
    try {
      const row = await this.db.siteMembership.create({
        data: { role, site: { connect: { id: siteId } }, operator: { create: { ...account, email: account.email.toLowerCase(), role: 'operator' } } },
        select: memberSelect,
      });
      return toMember(row);
    } catch (error) {
      // Created meanwhile by someone else: never overwrite an account's password from here.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return null;
      throw error;
    }
  }

  async removeMember(siteId: string, operatorId: string): Promise<boolean> {
    const { count } = await this.db.siteMembership.deleteMany({ where: { siteId, operatorId } });
    return count > 0;
  }
}
