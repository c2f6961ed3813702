/**
 * A refused `/visitor` handshake says why twice: in its message, for people, and as `data.code`,
 * which the widget reads to tell "this page may not chat" (it stops and says so) from a network
 * failure (no data: it keeps retrying).
 */
import type { VisitorHandshakeRefusal } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, startTestServer, visitorSocket, type TestServer } from './support/test-server.ts';

async function refusal(socket: ReturnType<typeof visitorSocket>): Promise<{ message: string; data?: VisitorHandshakeRefusal }> {
  try {
    await connected(socket);
    throw new Error('the handshake was accepted');
  } catch (error) {
    return error as { message: string; data?: VisitorHandshakeRefusal };
  } finally {
    socket.disconnect();
  }
}

describe('a refused visitor handshake', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('embedded');
  });
  afterAll(() => server?.stop());

  it('carries its code as data beside the message', { timeout: 120_000 }, async () => {
    // Each socket is opened when its turn comes: opened all at once, a later one could be refused
    // before anyone listened for it, and its refusal would never be heard.
    const cases = [
      [() => visitorSocket(server.url, { siteKey: 'no-such-site' }), 'unknown_site'],
      [() => visitorSocket(server.url, {}, { origin: 'https://evil.example' }), 'origin_not_allowed'],
      [() => visitorSocket(server.url, {}, { origin: null }), 'origin_required'],
      [() => visitorSocket(server.url, { visitorId: 'x' }), 'invalid_handshake'],
    ] as const;
    for (const [open, code] of cases) {
      const error = await refusal(open());
      expect(error.message).toMatch(new RegExp(`^${code}: .+`));
      expect(error.data).toEqual({ code });
    }
  });
});
