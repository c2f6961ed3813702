/**
 * `pnpm start` prints http://localhost:3000, and people open http://127.0.0.1:3000 just as well:
 * the demo site's page chats under both names of its own port, and under no other port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, startTestServer, visitorSocket, type TestServer } from './support/test-server.ts';

describe('the demo site on a loopback PUBLIC_URL', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('embedded', { PUBLIC_URL: 'http://localhost:3999' });
  });
  afterAll(() => server?.stop());

  it('takes its page as localhost and as 127.0.0.1 of its port, not of another port', async () => {
    for (const origin of ['http://localhost:3999', 'http://127.0.0.1:3999']) {
      const page = visitorSocket(server.url, {}, { origin });
      try {
        await connected(page);
      } finally {
        page.disconnect();
      }
    }
    const otherPort = visitorSocket(server.url, {}, { origin: 'http://127.0.0.1:4000' });
    await expect(connected(otherPort)).rejects.toThrow(/^origin_not_allowed/);
    otherPort.disconnect();
  });
});
