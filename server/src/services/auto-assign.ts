/**
 * Round-robin auto-assignment: a site that has it on gives each waiting conversation to its next
 * operator in turn among those online (a console connected) and available, with room under their
 * capacity (domain/assignment). Nobody with room: the conversation stays in the queue, and is
 * given out as soon as someone comes online, turns available, or finishes a conversation.
 * Safe across processes: the store writes each assignment under a lock on the operator.
 */
import { roundRobinOrder } from '../domain/assignment/choose-assignee.ts';
import type { Assignments, ChatStore, Clock, Realtime } from './ports.ts';

type Outcome = 'assigned' | 'taken' | 'no_room';
/** A sweep gives out at most this many conversations of a site at once. */
const SWEEP_LIMIT = 100;

export class AutoAssign {
  constructor(
    private readonly deps: {
      assignments: Assignments;
      store: Pick<ChatStore, 'getConversation' | 'queueItem'>;
      realtime: Pick<Realtime, 'onlineMembers' | 'status' | 'queueUpsert' | 'assigned'>;
      /** Silences the bot once a person owns the conversation. */
      cancelReplies: (conversationId: string) => Promise<unknown>;
      clock: Clock;
      onError: (error: unknown, context: string) => void;
    },
  ) {}

  /** A conversation just started waiting: give it to the next operator in turn, if the site assigns automatically. */
  async conversation(conversationId: string): Promise<boolean> {
    const conversation = await this.deps.store.getConversation(conversationId);
    if (!conversation || conversation.status !== 'WAITING' || conversation.ownerId) return false;
    if (!(await this.deps.assignments.autoAssign(conversation.siteId))) return false;
    return (await this.assign(conversationId, conversation.siteId)) === 'assigned';
  }

  /** Someone may have room now: gives out the site's waiting conversations in queue order until nobody has. */
  async site(siteId: string): Promise<number> {
    if (!(await this.deps.assignments.autoAssign(siteId))) return 0;
    let given = 0;
    for (const conversationId of await this.deps.assignments.waiting(siteId, SWEEP_LIMIT)) {
      const outcome = await this.assign(conversationId, siteId);
      if (outcome === 'no_room') break;
      if (outcome === 'assigned') given++;
    }
    return given;
  }

  /** Fire and forget (an escalation, a console connecting): a failure is logged, never thrown at the caller. */
  later(work: () => Promise<unknown>): void {
    work().catch((error: unknown) => this.deps.onError(error, 'auto-assign'));
  }

  private async assign(conversationId: string, siteId: string): Promise<Outcome> {
    const { assignments, realtime, clock } = this.deps;
    const online = realtime.onlineMembers?.(siteId) ?? [];
    if (online.length === 0) return 'no_room';
    const team = (await assignments.team(siteId, online)).filter((m) => m.availability === 'online');
    const order = roundRobinOrder(team.map((m) => ({ operatorId: m.operatorId, open: m.open, capacity: m.maxConversations, lastAssignedAt: m.lastAssignedAt })));
    for (const candidate of order) {
      if (await assignments.assign(conversationId, candidate.operatorId, siteId, clock.now())) {
        await this.announce(conversationId, siteId, candidate.operatorId);
        return 'assigned';
      }
      // Refused: the operator filled up or went away meanwhile (try the next), or the conversation was taken.
      const now = await this.deps.store.getConversation(conversationId);
      if (!now || now.status !== 'WAITING' || now.ownerId) return 'taken';
    }
    return 'no_room';
  }

  private async announce(conversationId: string, siteId: string, operatorId: string): Promise<void> {
    await this.deps.cancelReplies(conversationId);
    const item = await this.deps.store.queueItem(conversationId);
    if (!item) return;
    this.deps.realtime.status(conversationId, 'OPERATOR', item.priority);
    this.deps.realtime.queueUpsert(siteId, item);
    this.deps.realtime.assigned?.(operatorId, item, null);
  }
}
