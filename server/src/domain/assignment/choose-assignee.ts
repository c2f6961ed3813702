/**
 * Round-robin auto-assignment as a pure decision: among the site's operators who are online and
 * available, those with room (fewer open conversations than their capacity) in turn — the one
 * assigned longest ago (never = first) goes next. Who is online and what they hold is read by the
 * caller; the store re-checks capacity under a lock when it writes.
 */

export interface AssignmentCandidate {
  operatorId: string;
  /** Conversations it answers now (status OPERATOR, owned by it). */
  open: number;
  /** Its `maxConversations`: auto-assignment never gives it more. */
  capacity: number;
  /** When this site last auto-assigned it a conversation; null = never. */
  lastAssignedAt: Date | null;
}

export function hasCapacity(candidate: Pick<AssignmentCandidate, 'open' | 'capacity'>): boolean {
  return candidate.open < candidate.capacity;
}

/** The candidates with room, in the order they should be tried. */
export function roundRobinOrder(candidates: readonly AssignmentCandidate[]): AssignmentCandidate[] {
  const turn = (c: AssignmentCandidate) => c.lastAssignedAt?.getTime() ?? -Infinity;
  return candidates
    .filter(hasCapacity)
    .sort((a, b) => turn(a) - turn(b) || a.open - b.open || (a.operatorId < b.operatorId ? -1 : a.operatorId > b.operatorId ? 1 : 0));
}

/** Who gets the next waiting conversation; null when nobody has room (it stays in the queue). */
export function chooseAssignee(candidates: readonly AssignmentCandidate[]): string | null {
  return roundRobinOrder(candidates)[0]?.operatorId ?? null;
}
