/**
 * A site's team as its operators see it (who could take a transfer, who is online and how busy),
 * and the site's admins' switch for round-robin auto-assignment.
 */
import type { OperatorProfile, TeamMateDto } from '@support-chat/protocol';
import type { AutoAssign } from './auto-assign.ts';
import type { Assignments, Realtime } from './ports.ts';
import type { SiteAccess } from './site-access.ts';

type Caller = Pick<OperatorProfile, 'id'>;

export class Team {
  constructor(
    private readonly deps: {
      assignments: Pick<Assignments, 'team' | 'autoAssign' | 'setAutoAssign'>;
      access: Pick<SiteAccess, 'site'>;
      realtime: Pick<Realtime, 'onlineMembers'>;
      autoAssign: Pick<AutoAssign, 'site' | 'later'>;
    },
  ) {}

  async list(siteKey: string | undefined, operator: Caller): Promise<{ operators: TeamMateDto[]; autoAssign: boolean }> {
    const { site } = await this.deps.access.site(operator, siteKey, 'member');
    const online = new Set(this.deps.realtime.onlineMembers?.(site.id) ?? []);
    const [team, autoAssign] = await Promise.all([this.deps.assignments.team(site.id), this.deps.assignments.autoAssign(site.id)]);
    const operators = team.map(({ operatorId, name, availability, open, maxConversations }) => ({ operatorId, name, availability, open, maxConversations, online: online.has(operatorId) }));
    return { operators, autoAssign };
  }

  async setAutoAssign(siteKey: string | undefined, enabled: boolean, operator: Caller): Promise<{ autoAssign: boolean }> {
    const { site } = await this.deps.access.site(operator, siteKey, 'admin', 'Only admins switch auto-assignment');
    await this.deps.assignments.setAutoAssign(site.id, enabled);
    if (enabled) this.deps.autoAssign.later(() => this.deps.autoAssign.site(site.id)); // the queue waiting now is given out too
    return { autoAssign: enabled };
  }
}
