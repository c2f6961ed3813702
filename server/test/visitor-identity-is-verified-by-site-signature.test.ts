/**
 * `SupportChat('identify', {userId, signature})`: a user id the site's backend signed with the
 * site's identity secret names the conversation on every device; a forged or malformed one is
 * refused in the handshake (never quietly anonymous); a site that requires verified identities
 * keeps anonymous visitors anonymous (no name, no email); a native app without an Origin gets in
 * only with a verified identity.
 */
import { randomUUID } from 'node:crypto';
import type { MessageDto, VisitorSession } from '@support-chat/protocol';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identitySignature } from '../src/socket/visitor-identity.ts';
import { TEST_ORIGIN } from './support/server-process.ts';
import { connected, nextEvent, STORAGE_MODES, startTestServer, visitorSocket, waitFor, type TestServer, type VisitorClient } from './support/test-server.ts';

const SECRET = 'a3f1c0de'.repeat(8);
const jwt = (claims: { sub: string; expiresIn: string | number }, secret = SECRET) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub).setIssuedAt().setExpirationTime(claims.expiresIn).sign(new TextEncoder().encode(secret));

describe.each(STORAGE_MODES)('visitor identity is verified by the site signature (%s)', (mode) => {
  let server: TestServer;
  const sockets: VisitorClient[] = [];
  /** A site with an identity secret; `requireVerifiedIdentity` and `allowOriginless` as given. */
  const site = async (settings: { requireVerifiedIdentity?: boolean; allowOriginless?: boolean } = {}) =>
    (await server.services.store.upsertSite({ key: `app-${randomUUID().slice(0, 8)}`, name: 'App', locale: 'en', allowedOrigins: [TEST_ORIGIN], identitySecret: SECRET, ...settings })).key;
  const open = (...args: Parameters<typeof visitorSocket> extends [string, ...infer R] ? R : never) => {
    const socket = visitorSocket(server.url, ...args);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.stop();
  });

  it('a forged, malformed or unverifiable signature is refused with invalid_identity', async () => {
    const siteKey = await site();
    const userId = `u-${randomUUID()}`;
    const refusals = {
      forged: { userId, signature: identitySignature('another-secret', userId) },
      otherUser: { userId, signature: identitySignature(SECRET, 'someone-else') },
      empty: { userId, signature: '' },
      noUserId: { signature: identitySignature(SECRET, '') },
      algNone: { userId, signature: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: userId, exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url')}.` },
      jwtForged: { userId, signature: await jwt({ sub: userId, expiresIn: '10m' }, 'another-secret') },
      jwtExpired: { userId, signature: await jwt({ sub: userId, expiresIn: Math.floor(Date.now() / 1000) - 60 }) },
      jwtTooLong: { userId, signature: await jwt({ sub: userId, expiresIn: '2h' }) },
      jwtOtherUser: { userId, signature: await jwt({ sub: 'someone-else', expiresIn: '10m' }) },
    };
    for (const [kind, identity] of Object.entries(refusals)) {
      const socket = open({ siteKey, identity: identity as never });
      await expect(connected(socket), kind).rejects.toThrow(/^invalid_identity/);
    }
    // The demo site has no identity secret: an identity cannot be checked, so it is refused too.
    const noSecret = open({ identity: { userId, signature: identitySignature(SECRET, userId) } });
    await expect(connected(noSecret)).rejects.toThrow(/^invalid_identity/);
  });

  it('a verified user continues one conversation from two browsers with different anonymous ids; an anonymous socket sees none of it', async () => {
    const siteKey = await site();
    const userId = `u-${randomUUID()}`;
    const first = open({ siteKey, visitorId: `visitor-${randomUUID()}`, identity: { userId, signature: identitySignature(SECRET, userId) } });
    await connected(first);
    const sent = await first.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'my order 4242 is late' });
    expect(sent.ok).toBe(true);
    const conversationId = sent.ok ? sent.data.conversationId : '';

    // Another device: another anonymous id, a short-lived JWT as the signature this time.
    const second = open({ siteKey, visitorId: `visitor-${randomUUID()}`, identity: { userId, signature: await jwt({ sub: userId, expiresIn: '10m' }) } });
    const session = nextEvent<VisitorSession>(second, 'session');
    const history = nextEvent<{ messages: MessageDto[] }>(second, 'history');
    await connected(second);
    expect((await session).conversationId).toBe(conversationId);
    expect((await history).messages.map((m) => m.text)).toContain('my order 4242 is late');
    expect((await server.services.store.getConversation(conversationId))?.visitorExternalId).toBe(`user:${userId}`);

    // The first browser's anonymous id alone, without the identity, opens nothing of it.
    const anonymous = open({ siteKey, visitorId: `visitor-${randomUUID()}` });
    const anonymousSession = nextEvent<VisitorSession>(anonymous, 'session');
    await connected(anonymous);
    expect((await anonymousSession).conversationId).toBeNull();
  });

  it('where verified identities are required, an unverified visitor chats but its name and email are ignored; a verified one names itself', async () => {
    const siteKey = await site({ requireVerifiedIdentity: true });
    const anonymous = open({ siteKey, profile: { name: 'Claimed Name', email: 'ceo@example.com' } });
    await connected(anonymous);
    const sent = await anonymous.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'hello' });
    expect(sent.ok).toBe(true);
    const refused = await anonymous.emitWithAck('visitor:profile', { name: 'Claimed Again' });
    expect(refused.ok ? null : refused.error.code).toBe('identity_required');
    const conversation = await server.services.store.getConversation(sent.ok ? sent.data.conversationId : '');
    expect(conversation?.visitorName).toBeNull();

    const userId = `u-${randomUUID()}`;
    const verified = open({ siteKey, identity: { userId, signature: identitySignature(SECRET, userId), name: 'Anna Verified' } });
    await connected(verified);
    const own = await verified.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'hello' });
    expect(own.ok).toBe(true);
    await waitFor(async () => (await server.services.store.getConversation(own.ok ? own.data.conversationId : ''))?.visitorName === 'Anna Verified');
    expect((await verified.emitWithAck('visitor:profile', { email: 'anna@example.com' })).ok).toBe(true);
  });

  it('a site that allows originless clients takes them with a verified identity only', async () => {
    const siteKey = await site({ allowOriginless: true });
    const bare = open({ siteKey }, { origin: null });
    await expect(connected(bare)).rejects.toThrow(/^identity_required/);

    const userId = `u-${randomUUID()}`;
    const app = open({ siteKey, identity: { userId, signature: identitySignature(SECRET, userId) } }, { origin: null });
    await connected(app);
    expect((await app.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'from the app' })).ok).toBe(true);

    // Sites that do not allow them refuse originless clients even with an identity.
    const strict = await site();
    const refused = open({ siteKey: strict, identity: { userId, signature: identitySignature(SECRET, userId) } }, { origin: null });
    await expect(connected(refused)).rejects.toThrow(/^origin_required/);
  });
});
