import type { OperatorProfile } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { countPresence } from './socket-realtime.ts';

const operator = (id: string, role: OperatorProfile['role'] = 'operator'): OperatorProfile => ({ id, email: `${id}@example.com`, name: id, displayName: null, avatarUrl: null, role, availability: 'online', maxConversations: 5, sites: [] });
const socket = (op: OperatorProfile, sites: string[] = []) => ({ data: { operator: op, sites: sites.map((id) => ({ id, key: `key-${id}` })) } });

describe('presence', () => {
  it("counts a site's members and the owners, each person once however many tabs", () => {
    const presence = countPresence([
      socket(operator('anna'), ['a']),
      socket(operator('anna'), ['a']),
      socket(operator('boris'), ['a', 'b']),
      socket(operator('root', 'owner')),
      socket(operator('root', 'owner')),
    ]);
    expect(presence.total).toBe(3);
    expect(presence.owners).toBe(1);
    expect(Object.fromEntries(presence.bySite)).toEqual({ a: 3, b: 2 });
    expect(presence.keys.get('b')).toBe('key-b');
  });

  it('an owner who is also a member is counted once in the site', () => {
    const presence = countPresence([socket(operator('root', 'owner'), ['a'])]);
    expect(Object.fromEntries(presence.bySite)).toEqual({ a: 1 });
  });

  it('skips sockets that have not finished their handshake', () => {
    expect(countPresence([{ data: {} }]).total).toBe(0);
  });
});
