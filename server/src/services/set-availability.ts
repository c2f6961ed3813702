/**
 * An operator says whether it takes new conversations (online / away) and how many at once. Its
 * consoles get the new profile; becoming available or roomier gives out its sites' waiting queue.
 */
import type { Availability, OperatorProfile } from '@support-chat/protocol';
import type { AutoAssign } from './auto-assign.ts';
import { OperatorError } from './operator-errors.ts';
import type { Assignments, ChatStore, Realtime } from './ports.ts';
import { profileOf } from './site-access.ts';

export class SetAvailability {
  constructor(
    private readonly deps: {
      assignments: Pick<Assignments, 'setAvailability'>;
      store: Pick<ChatStore, 'getOperator'>;
      realtime: Pick<Realtime, 'profile'>;
      autoAssign: Pick<AutoAssign, 'site' | 'later'>;
    },
  ) {}

  async run(operator: Pick<OperatorProfile, 'id'>, changes: { availability?: Availability; maxConversations?: number }): Promise<OperatorProfile> {
    await this.deps.assignments.setAvailability(operator.id, changes);
    const record = await this.deps.store.getOperator(operator.id);
    if (!record) throw new OperatorError('forbidden', 'This account no longer exists');
    const profile = profileOf(record);
    this.deps.realtime.profile?.(operator.id, profile);
    if (record.availability === 'online') {
      for (const { siteId } of record.memberships) this.deps.autoAssign.later(() => this.deps.autoAssign.site(siteId));
    }
    return profile;
  }
}
