/**
 * Tenancy: what an operator may see and do, asked on every console call. An owner acts in every
 * site; anyone else only in the sites it is a member of — as the site's `admin` (changes the
 * site) or `operator` (answers). The memberships are read from the store at each call, so a
 * removal takes effect on the next event, whatever the open socket still believes.
 *
 * Another site's things are answered as if they did not exist (`not_found`): an operator learns
 * nothing of a site it does not belong to, not even that an id or key is taken.
 */
import type { OperatorProfile, SiteMembershipDto, SiteRole } from '@support-chat/protocol';
import { OperatorError } from './operator-errors.ts';
import type { ChatStore, MembershipRecord, OperatorRecord, SiteRecord } from './ports.ts';

/** What a call needs in the site: to be in its team, or to be its admin. */
export type SiteNeed = 'member' | 'admin';

export interface Access {
  operatorId: string;
  owner: boolean;
  /** The sites it is a member of, oldest first. */
  memberships: readonly MembershipRecord[];
  /** The sites whose work it sees: null for an owner (every site). */
  siteIds: readonly string[] | null;
  /** Its role in the site: `owner` for an owner, null when it has none there. */
  roleIn(siteId: string): 'owner' | SiteRole | null;
  can(siteId: string, need: SiteNeed): boolean;
}

export function accessOf(record: Pick<OperatorRecord, 'id' | 'role' | 'memberships'>): Access {
  const owner = record.role === 'owner';
  const roles = new Map(record.memberships.map((m) => [m.siteId, m.role]));
  const roleIn = (siteId: string) => (owner ? 'owner' : (roles.get(siteId) ?? null));
  return {
    operatorId: record.id,
    owner,
    memberships: record.memberships,
    siteIds: owner ? null : record.memberships.map((m) => m.siteId),
    roleIn,
    can: (siteId, need) => {
      const role = roleIn(siteId);
      return role === 'owner' || role === 'admin' || (need === 'member' && role === 'operator');
    },
  };
}

/** The profile the console gets (login, `operator:profile`). */
export function profileOf(record: OperatorRecord): OperatorProfile {
  const sites: SiteMembershipDto[] = record.memberships.map((m) => ({ siteKey: m.siteKey, siteName: m.siteName, role: m.role }));
  return { id: record.id, email: record.email, name: record.name, displayName: record.displayName, avatarUrl: record.avatarUrl, role: record.role, availability: record.availability, maxConversations: record.maxConversations, sites };
}

const NO_SUCH_SITE = 'No such site';
const ADMINS_ONLY = "Only the site's admins may do this";

export class SiteAccess {
  constructor(
    private readonly deps: {
      store: Pick<ChatStore, 'getOperator' | 'findSiteByKey'>;
      /** The site an owner without memberships acts on by default (the demo site). */
      defaultSiteKey: string;
      /** The oldest site, when the default one is gone. */
      oldestSite: () => Promise<SiteRecord | null>;
    },
  ) {}

  /** The operator's current access; `forbidden` when its account is gone. */
  async of(operator: Pick<OperatorProfile, 'id'>): Promise<Access> {
    const record = await this.deps.store.getOperator(operator.id);
    if (!record) throw new OperatorError('forbidden', 'This account no longer exists');
    return accessOf(record);
  }

  /**
   * The site an event acts on: the named one, or the operator's default. `not_found` for an
   * unknown site and for one the operator is not in; `forbidden` for an operator of the site
   * doing an admin's work.
   */
  async site(operator: Pick<OperatorProfile, 'id'>, siteKey: string | undefined, need: SiteNeed, refusal = ADMINS_ONLY): Promise<{ site: SiteRecord; access: Access }> {
    const access = await this.of(operator);
    const site = siteKey === undefined ? await this.defaultSite(access) : await this.deps.store.findSiteByKey(siteKey);
    if (!site || access.roleIn(site.id) === null) throw new OperatorError('not_found', siteKey === undefined ? 'You are not a member of any site yet' : NO_SUCH_SITE);
    this.require(access, site.id, need, refusal);
    return { site, access };
  }

  /** Checks a thing of `siteId` (a conversation, an incident): `not_found` outside the operator's sites. */
  async inSite(operator: Pick<OperatorProfile, 'id'>, siteId: string, need: SiteNeed, notFound: string, refusal = ADMINS_ONLY): Promise<Access> {
    const access = await this.of(operator);
    if (access.roleIn(siteId) === null) throw new OperatorError('not_found', notFound);
    this.require(access, siteId, need, refusal);
    return access;
  }

  /** Owners only: `forbidden` for anyone else. */
  async owner(operator: Pick<OperatorProfile, 'id'>, what: string): Promise<Access> {
    const access = await this.of(operator);
    if (!access.owner) throw new OperatorError('forbidden', `Only owners ${what}`);
    return access;
  }

  private require(access: Access, siteId: string, need: SiteNeed, refusal: string): void {
    if (!access.can(siteId, need)) throw new OperatorError('forbidden', refusal);
  }

  private async defaultSite(access: Access): Promise<SiteRecord | null> {
    const first = access.memberships[0];
    if (first) return this.deps.store.findSiteByKey(first.siteKey);
    if (!access.owner) return null;
    return (await this.deps.store.findSiteByKey(this.deps.defaultSiteKey)) ?? this.deps.oldestSite();
  }
}
