import { describe, expect, it } from 'vitest';
import { chooseAssignee, roundRobinOrder, type AssignmentCandidate } from './choose-assignee.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));
const op = (operatorId: string, open: number, capacity: number, lastAssignedAt: Date | null): AssignmentCandidate => ({ operatorId, open, capacity, lastAssignedAt });

describe('round-robin assignment', () => {
  it('gives the next conversation to the operator assigned longest ago, one never assigned first', () => {
    expect(chooseAssignee([op('anna', 0, 3, at(5)), op('boris', 1, 3, at(1)), op('vera', 2, 3, null)])).toBe('vera');
    expect(chooseAssignee([op('anna', 0, 3, at(5)), op('boris', 1, 3, at(1))])).toBe('boris');
  });

  it('goes round: assigning one moves it to the back of the turn', () => {
    let team = [op('anna', 0, 5, null), op('boris', 0, 5, null), op('vera', 0, 5, null)];
    const order: string[] = [];
    for (let minute = 1; minute <= 6; minute++) {
      const next = chooseAssignee(team)!;
      order.push(next);
      team = team.map((c) => (c.operatorId === next ? { ...c, open: c.open + 1, lastAssignedAt: at(minute) } : c));
    }
    expect(order).toEqual(['anna', 'boris', 'vera', 'anna', 'boris', 'vera']);
  });

  it('skips operators at capacity and answers null when nobody has room', () => {
    expect(chooseAssignee([op('anna', 2, 2, null), op('boris', 4, 5, at(9))])).toBe('boris');
    expect(chooseAssignee([op('anna', 2, 2, null), op('boris', 5, 5, at(9))])).toBeNull();
    expect(chooseAssignee([op('anna', 0, 0, null)])).toBeNull();
    expect(chooseAssignee([])).toBeNull();
  });

  it('breaks a tie in turn by fewer open conversations, then by id, so every process orders alike', () => {
    expect(roundRobinOrder([op('b', 2, 5, at(1)), op('a', 2, 5, at(1)), op('c', 1, 5, at(1))]).map((c) => c.operatorId)).toEqual(['c', 'a', 'b']);
  });
});
