/**
 * Sites and their teams from the console. Owners create sites and change anything; a site's
 * admins change its widget settings and allowed origins and manage its team. A change reaches
 * the open widgets of the site at once (`site:settings`), and an operator whose memberships
 * changed joins or leaves the site's rooms at once.
 */
import type { MemberAddInput, OperatorProfile, SiteCreateInput, SiteDto, SiteMemberDto, SiteUpdateInput } from '@support-chat/protocol';
import { publicWidgetSettings } from '../domain/sites/public-settings.ts';
import { slugify } from '../domain/knowledge/slug.ts';
import { DEFAULT_TEMPLATES } from '../domain/templates/default-templates.ts';
import { applyWidgetSettings, type WidgetSettingsPatch } from '../domain/sites/widget-settings.ts';
import { noAudit, type AuditRecorder } from './audit-trail.ts';
import { OperatorError } from './operator-errors.ts';
import type { PasswordHasher } from './operator-auth.ts';
import type { ChatStore, Clock, Realtime, SiteChanges, SiteMemberRecord, SiteRecord, SiteStore } from './ports.ts';
import type { Access, SiteAccess } from './site-access.ts';

type Caller = Pick<OperatorProfile, 'id' | 'name'>;

/** Changes of a site only its owners make. */
const OWNER_FIELDS = ['name', 'locale', 'enabled'] as const;
const KEY_BASE_MAX_CHARS = 24;

/** The tag a site pastes into its pages (README, "Put the chat on your site"). */
export function snippetFor(publicUrl: string, siteKey: string): string {
  return `<script async src="${new URL('/widget.js', publicUrl).href}" data-site="${siteKey}"></script>`;
}

/** The readable start of a new site's key: its name in Latin letters. */
export function siteKeyBase(name: string): string {
  const base = slugify(name).slice(0, KEY_BASE_MAX_CHARS).replace(/-+$/, '');
  return base === 'article' && !/article/i.test(name) ? 'site' : base || 'site';
}

export class SiteAdmin {
  constructor(
    private readonly deps: {
      sites: SiteStore;
      store: Pick<ChatStore, 'findOperatorByEmail' | 'seedTemplates'>;
      access: SiteAccess;
      /** The site cache of handshakes and the settings endpoint: a change is read again at once. */
      directory: { forget(key: string): Promise<void> };
      realtime: Pick<Realtime, 'operatorsOnline' | 'siteSettings' | 'siteDisabled' | 'operatorAccessChanged'>;
      hasher: Pick<PasswordHasher, 'hash'>;
      clock: Clock;
      publicUrl: string;
      /** Settings and team changes are recorded here. */
      audit?: AuditRecorder;
    },
  ) {}

  private get audit(): AuditRecorder {
    return this.deps.audit ?? noAudit;
  }

  /** Owners: every site. Anyone else: its own sites. */
  async list(operator: Caller): Promise<SiteDto[]> {
    const access = await this.deps.access.of(operator);
    const sites = await this.deps.sites.list(access.siteIds ?? undefined);
    return sites.map((site) => this.toDto(site, access));
  }

  async create(input: SiteCreateInput, operator: Caller): Promise<SiteDto> {
    const access = await this.deps.access.owner(operator, 'create sites');
    const site = await this.deps.sites.create({ name: input.name, allowedOrigins: input.allowedOrigins, locale: input.locale }, siteKeyBase(input.name));
    // Its admins start from the default answers in the template editor.
    await this.deps.store.seedTemplates(site.id, DEFAULT_TEMPLATES);
    return this.toDto(site, access);
  }

  async update(input: Omit<SiteUpdateInput, 'settings'> & { settings?: WidgetSettingsPatch }, operator: Caller): Promise<SiteDto> {
    const { site, access } = await this.deps.access.site(operator, input.siteKey, 'admin', "Only the site's admins change it");
    if (!access.owner && OWNER_FIELDS.some((field) => input[field] !== undefined)) {
      throw new OperatorError('forbidden', 'Only owners rename a site, change its language or turn it on and off');
    }
    const changes: SiteChanges = {
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.locale === undefined ? {} : { locale: input.locale }),
      ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
      ...(input.allowedOrigins === undefined ? {} : { allowedOrigins: input.allowedOrigins }),
      ...(input.settings === undefined ? {} : { settings: applyWidgetSettings(site.settings!, input.settings) }),
    };
    const updated = await this.deps.sites.update(site.id, changes, this.deps.clock.now());
    if (!updated) throw new OperatorError('not_found', 'No such site');
    // Which fields changed (and which settings), not their values: origins and texts can be long.
    const detail = { fields: Object.keys(changes), ...(input.settings ? { settings: Object.keys(input.settings) } : {}) };
    await this.audit.record({ siteId: site.id, operator, action: 'site.update', target: site.key, detail });
    await this.deps.directory.forget(updated.key);
    const { realtime } = this.deps;
    if (updated.enabled === false) {
      if (site.enabled !== false) realtime.siteDisabled?.(updated.id);
    } else if (changes.settings || changes.locale) {
      realtime.siteSettings?.(updated.id, publicWidgetSettings(updated, this.deps.clock.now(), realtime.operatorsOnline(updated.id)));
    }
    return this.toDto(updated, access);
  }

  async members(siteKey: string | undefined, operator: Caller): Promise<SiteMemberDto[]> {
    const { site } = await this.deps.access.site(operator, siteKey, 'admin', "Only the site's admins manage its team");
    return (await this.deps.sites.members(site.id)).map(toMemberDto);
  }

  /** Adds an account (an existing one by email, else a new one) to the site, or changes its role there. */
  async addMember(input: MemberAddInput, operator: Caller): Promise<{ member: SiteMemberDto; created: boolean }> {
    const { site, access } = await this.deps.access.site(operator, input.siteKey, 'admin', "Only the site's admins manage its team");
    const existing = await this.deps.store.findOperatorByEmail(input.email);
    let member: SiteMemberRecord | null = null;
    let created = false;
    if (existing) {
      if (input.role !== 'admin') await this.keepAnAdmin(site, access, existing.id);
      member = await this.deps.sites.setMember(site.id, existing.id, input.role);
    } else {
      if (!input.name || !input.password) throw new OperatorError('validation_error', 'No account has this email: give a name and a password (≥ 8 characters) to create one');
      member = await this.deps.sites.createMember(site.id, { email: input.email, name: input.name, passwordHash: await this.deps.hasher.hash(input.password) }, input.role);
      if (!member) throw new OperatorError('conflict', 'An account with this email was created meanwhile: add it again');
      created = true;
    }
    this.deps.realtime.operatorAccessChanged?.(member.operatorId);
    await this.audit.record({ siteId: site.id, operator, action: 'member.add', target: member.operatorId, detail: { email: member.email, role: input.role, created } });
    return { member: toMemberDto(member), created };
  }

  async removeMember(siteKey: string | undefined, operatorId: string, operator: Caller): Promise<{ operatorId: string }> {
    const { site, access } = await this.deps.access.site(operator, siteKey, 'admin', "Only the site's admins manage its team");
    await this.keepAnAdmin(site, access, operatorId);
    if (!(await this.deps.sites.removeMember(site.id, operatorId))) throw new OperatorError('not_found', 'No such member of this site');
    this.deps.realtime.operatorAccessChanged?.(operatorId);
    await this.audit.record({ siteId: site.id, operator, action: 'member.remove', target: operatorId });
    return { operatorId };
  }

  /** A site's last admin stays (only an owner, who can always step in, may remove or demote it). */
  private async keepAnAdmin(site: SiteRecord, access: Access, leaving: string): Promise<void> {
    if (access.owner) return;
    const admins = (await this.deps.sites.members(site.id)).filter((m) => m.role === 'admin');
    if (admins.length === 1 && admins[0]!.operatorId === leaving) throw new OperatorError('conflict', 'A site keeps at least one admin: make someone else its admin first');
  }

  private toDto(site: SiteRecord, access: Access): SiteDto {
    return {
      key: site.key,
      name: site.name,
      allowedOrigins: site.allowedOrigins,
      locale: site.locale,
      enabled: site.enabled !== false,
      settings: publicWidgetSettings(site, this.deps.clock.now(), 0).settings,
      createdAt: (site.createdAt ?? new Date(0)).toISOString(),
      myRole: access.roleIn(site.id) ?? 'operator',
      snippet: snippetFor(this.deps.publicUrl, site.key),
    };
  }
}

const toMemberDto = (m: SiteMemberRecord): SiteMemberDto => ({ operatorId: m.operatorId, email: m.email, name: m.name, role: m.role });
