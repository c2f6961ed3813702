import { describe, expect, it } from 'vitest';
import { restClientId, restVisitorId } from './rest-identity.ts';

describe('REST identities', () => {
  it('can never equal a widget visitor id (those have no colon)', () => {
    for (const [platform, clientId] of [['api', 'visitor-123'], ['telegram', 'a'], ['', 'x_y-z']]) {
      expect(restVisitorId(platform!, clientId!)).not.toMatch(/^[\w-]+$/);
    }
  });

  it('gives the caller its own client_id back, whatever characters the platform or id hold', () => {
    for (const [platform, clientId] of [['api', 'user-42'], ['te:le', 'a:b'], ['wa app', 'rest:api:x'], ['', '']]) {
      expect(restClientId(restVisitorId(platform!, clientId!))).toBe(clientId);
    }
  });

  it('keeps platforms apart even when a colon would make their ids collide', () => {
    expect(restVisitorId('a:b', 'c')).not.toBe(restVisitorId('a', 'b:c'));
  });

  it('leaves other ids (widget visitors, conversations made before the prefix) as they are', () => {
    expect(restClientId('visitor-123')).toBe('visitor-123');
  });
});
