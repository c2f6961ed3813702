/**
 * A browser always sends `Origin` with a WebSocket handshake; a client that sends none is a script
 * or a native app. The `/visitor` handshake refuses it, so a visitor id alone (leaked, or a REST
 * client_id) opens nothing, unless the site allows originless clients for its native app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, STORAGE_MODES, startTestServer, visitorSocket, type TestServer } from './support/test-server.ts';

describe.each(STORAGE_MODES)('visitor handshake without an Origin (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(() => server?.stop());

  it('is refused with origin_required, while the same visitor from the site page connects', async () => {
    const visitorId = `visitor-${crypto.randomUUID()}`;
    const originless = visitorSocket(server.url, { visitorId }, { origin: null });
    await expect(connected(originless)).rejects.toThrow(/^origin_required/);
    originless.disconnect();

    const page = visitorSocket(server.url, { visitorId });
    try {
      await connected(page);
    } finally {
      page.disconnect();
    }
  });

  it('takes a same-origin browser request (no Origin, Sec-Fetch-Site: same-origin) as coming from the host it was sent to', async () => {
    // Browsers leave Origin out of same-origin GETs: the long-polling handshake of the server's own pages.
    const sameOrigin = visitorSocket(server.url, {}, { origin: null, 'sec-fetch-site': 'same-origin', host: 'localhost:3000' });
    try {
      await connected(sameOrigin);
    } finally {
      sameOrigin.disconnect();
    }
    const otherHost = visitorSocket(server.url, {}, { origin: null, 'sec-fetch-site': 'same-origin', host: 'evil.example' });
    await expect(connected(otherHost)).rejects.toThrow(/^origin_not_allowed/);
    otherHost.disconnect();
    const crossSite = visitorSocket(server.url, {}, { origin: null, 'sec-fetch-site': 'cross-site' });
    await expect(connected(crossSite)).rejects.toThrow(/^origin_required/);
    crossSite.disconnect();
  });
});
