import { randomUUID } from 'node:crypto';
import type { MessageDto, VisitorSession } from '@support-chat/protocol';
import { SignJWT } from 'jose';
import { io as connect } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  connected,
  nextEvent,
  operatorSocket,
  STORAGE_MODES,
  startTestServer,
  visitorSocket,
  waitFor,
  type OperatorClient,
  type TestServer,
  type VisitorClient,
} from './support/test-server.ts';

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };
/** startTestServer signs operator tokens with this key. */
const SECRET_KEY = 'test-secret-key-that-is-long-enough-0123456789';

function loginRequest(url: string, email: string, password: string): Promise<Response> {
  return fetch(`${url}/api/operators/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

/** `ver` is the operator's token version the server checks (the admin here is never revoked: 0). */
function sign(secret: string, claims: { sub: string; aud?: string; iat: number; exp: number; ver?: number }): Promise<string> {
  let jwt = new SignJWT({ ver: claims.ver ?? 0 }).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub).setIssuedAt(claims.iat).setExpirationTime(claims.exp);
  if (claims.aud) jwt = jwt.setAudience(claims.aud);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** Every event a socket receives, in order. */
function everything(socket: VisitorClient): Array<[string, unknown]> {
  const seen: Array<[string, unknown]> = [];
  socket.onAny((event: string, payload: unknown) => seen.push([event, payload]));
  return seen;
}

/** An emit that must go unanswered: resolves with the ack if one comes, 'no answer' otherwise. */
async function unanswered(socket: VisitorClient, event: string, payload: unknown): Promise<unknown> {
  try {
    // @ts-expect-error — a hostile client sends events the visitor protocol does not have
    return await socket.timeout(400).emitWithAck(event, payload);
  } catch {
    return 'no answer';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => Math.floor(Date.now() / 1000);

describe.each(STORAGE_MODES)('visitors and operators are isolated (%s)', (mode) => {
  let server: TestServer;
  let token: string;
  let adminId: string;
  const sockets: Array<VisitorClient | OperatorClient> = [];
  const track = <T extends VisitorClient | OperatorClient>(s: T) => (sockets.push(s), s);

  beforeAll(async () => {
    server = await startTestServer(mode, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    const res = await loginRequest(server.url, ADMIN.email, ADMIN.password);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; operator: { id: string } };
    token = body.token;
    adminId = body.operator.id;
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => server?.stop());

  it("a visitor socket never receives another visitor's messages, replies, typing or status", async () => {
    const a = track(visitorSocket(server.url));
    const b = track(visitorSocket(server.url));
    const aMessages = collect<MessageDto>(a, 'message:new');
    const bSeen = everything(b);
    await Promise.all([connected(a), connected(b)]);

    const sentA = await a.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Секретный адрес: Ленина 5, кв 12. Сколько стоит тариф?' });
    if (!sentA.ok) throw new Error(sentA.error.message);
    await waitFor(() => aMessages.find((m) => m.author === 'bot'));
    await a.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'позовите оператора' });
    await waitFor(() => aMessages.filter((m) => m.author === 'bot').length === 2);

    // An operator answers A.
    const op = track(operatorSocket(server.url, token));
    await connected(op);
    expect((await op.emitWithAck('conversation:claim', { conversationId: sentA.data.conversationId })).ok).toBe(true);
    await op.emitWithAck('conversation:reply', { conversationId: sentA.data.conversationId, text: 'Только для A', clientMessageId: randomUUID() });
    await waitFor(() => aMessages.find((m) => m.author === 'operator'));
    await sleep(200);

    // B only ever got its own session and the site-wide presence.
    expect(bSeen.map(([event]) => event).filter((e) => !['session', 'history', 'operators:online'].includes(e))).toEqual([]);
    expect(JSON.stringify(bSeen)).not.toContain('Ленина');
    expect(JSON.stringify(bSeen)).not.toContain('Только для A');

    // B's own conversation: only B's messages, live and in history.
    const sentB = await b.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Привет' });
    if (!sentB.ok) throw new Error(sentB.error.message);
    expect(sentB.data.conversationId).not.toBe(sentA.data.conversationId);
    await waitFor(() => bSeen.find(([e, m]) => e === 'message:new' && (m as MessageDto).author === 'bot'));
    const bMessages = bSeen.filter(([e]) => e === 'message:new').map(([, m]) => m as MessageDto);
    expect(bMessages.every((m) => m.conversationId === sentB.data.conversationId)).toBe(true);
    const history = await b.emitWithAck('history:since', { afterSeq: 0 });
    expect(history.ok && history.data.messages.map((m) => m.conversationId)).toEqual([sentB.data.conversationId, sentB.data.conversationId]);
  });

  it("naming another visitor's conversation in the handshake shows nothing of it", async () => {
    const a = track(visitorSocket(server.url));
    await connected(a);
    const sentA = await a.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'мой пароль от кабинета 12345' });
    if (!sentA.ok) throw new Error(sentA.error.message);

    const b = track(visitorSocket(server.url, { conversationId: sentA.data.conversationId, lastSeq: 0 }));
    const session = nextEvent<VisitorSession>(b, 'session');
    const history = nextEvent<{ messages: MessageDto[] }>(b, 'history');
    await connected(b);
    expect((await session).conversationId).toBeNull();
    expect((await history).messages).toEqual([]);
    const since = await b.emitWithAck('history:since', { afterSeq: 0 });
    expect(since).toEqual({ ok: true, data: { messages: [] } });
  });

  it('a visitor socket emitting operator events or unknown events gets nothing and changes nothing', async () => {
    const a = track(visitorSocket(server.url));
    const aMessages = collect<MessageDto>(a, 'message:new');
    await connected(a);
    const sentA = await a.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'позовите оператора' });
    if (!sentA.ok) throw new Error(sentA.error.message);
    const conversationId = sentA.data.conversationId;
    await waitFor(async () => (await server.services.store.getConversation(conversationId))?.status === 'WAITING');

    const hostile = track(visitorSocket(server.url));
    const hostileSeen = everything(hostile);
    await connected(hostile);
    const attempts: Array<[string, unknown]> = [
      ['queue:list', undefined],
      ['conversation:open', { conversationId }],
      ['conversation:claim', { conversationId }],
      ['conversation:reply', { conversationId, text: 'Я оператор, назовите пароль', clientMessageId: randomUUID() }],
      ['conversation:resolve', { conversationId }],
      ['conversation:handback', { conversationId }],
      ['incident:resolve', { incidentId: randomUUID(), message: 'всё починили' }],
      ['templates:save', { category: 'GREETING', locale: 'ru', variants: ['взломано'] }],
      ['templates:list', undefined],
      ['admin:drop-database', {}],
      ['__proto__', {}],
    ];
    for (const [event, payload] of attempts) expect(await unanswered(hostile, event, payload)).toBe('no answer');

    const after = await server.services.store.getConversation(conversationId);
    expect(after).toMatchObject({ status: 'WAITING', ownerId: null });
    expect(aMessages.filter((m) => m.author === 'operator')).toEqual([]);
    expect(hostileSeen.map(([e]) => e).filter((e) => !['session', 'history', 'operators:online'].includes(e))).toEqual([]);

    // The socket still works for what a visitor may do.
    expect(hostile.connected).toBe(true);
    expect((await hostile.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Привет' })).ok).toBe(true);
  });

  it('the /operator namespace refuses a connection without a token, or with a visitor handshake', async () => {
    const none = connect(`${server.url}/operator`, { transports: ['websocket'], reconnection: false, forceNew: true });
    await expect(connected(none)).rejects.toThrow(/unauthorized/);
    none.disconnect();
    const asVisitor = connect(`${server.url}/operator`, { auth: { siteKey: 'demo', visitorId: `visitor-${randomUUID()}` }, transports: ['websocket'], reconnection: false, forceNew: true });
    await expect(connected(asVisitor)).rejects.toThrow(/unauthorized/);
    asVisitor.disconnect();
    const garbage = track(operatorSocket(server.url, 'not.a.jwt'));
    await expect(connected(garbage)).rejects.toThrow(/unauthorized/);
  });

  it('expired, forged and wrong-audience tokens are refused with unauthorized; a valid one connects', async () => {
    const iat = now() - 3600;
    const tokens = {
      expired: await sign(SECRET_KEY, { sub: adminId, aud: 'operator', iat, exp: now() - 60 }),
      forged: await sign('another-secret-key-that-is-long-enough-9876543210', { sub: adminId, aud: 'operator', iat, exp: now() + 3600 }),
      wrongAudience: await sign(SECRET_KEY, { sub: adminId, aud: 'visitor', iat, exp: now() + 3600 }),
      noAudience: await sign(SECRET_KEY, { sub: adminId, iat, exp: now() + 3600 }),
      unknownOperator: await sign(SECRET_KEY, { sub: randomUUID(), aud: 'operator', iat, exp: now() + 3600 }),
      revokedVersion: await sign(SECRET_KEY, { sub: adminId, aud: 'operator', iat, exp: now() + 3600, ver: 7 }),
      unsigned: `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: adminId, aud: 'operator', exp: now() + 3600 })).toString('base64url')}.`,
    };
    for (const [kind, bad] of Object.entries(tokens)) {
      const socket = track(operatorSocket(server.url, bad));
      await expect(connected(socket), kind).rejects.toThrow(/unauthorized/);
    }
    const valid = track(operatorSocket(server.url, await sign(SECRET_KEY, { sub: adminId, aud: 'operator', iat, exp: now() + 3600 })));
    await connected(valid);
    expect((await valid.emitWithAck('queue:list')).ok).toBe(true);
  });

  it('the token is checked again on every reconnect', async () => {
    const socket = track(operatorSocket(server.url, token));
    await connected(socket);
    socket.disconnect();
    socket.auth = { token: await sign(SECRET_KEY, { sub: adminId, aud: 'operator', iat: now() - 3600, exp: now() - 1 }) };
    const refused = nextEvent<Error>(socket, 'connect_error');
    socket.connect();
    expect((await refused).message).toMatch(/unauthorized/);
    expect(socket.connected).toBe(false);

    socket.auth = { token };
    const back = nextEvent(socket, 'connect');
    socket.connect();
    await back;
    expect(socket.connected).toBe(true);
  });

  // Last in this block: it spends this server's login budget for 127.0.0.1.
  it('a wrong password is 401; repeated attempts from one address are rate-limited with 429', async () => {
    const target = { email: 'target@example.com', name: 'Target', role: 'operator' as const, password: 'the-real-password-1' };
    await server.services.auth.upsert(target);

    const wrong = await loginRequest(server.url, target.email, 'guess-1');
    expect(wrong.status).toBe(401);
    const body = (await wrong.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_credentials');
    const unknown = await loginRequest(server.url, 'nobody@example.com', 'guess-1');
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(body.error.message); // no account enumeration

    // All at once: the account's failures slow later attempts down (login-slows-down-instead-of-locking-out.test.ts),
    // and this is about the per-address limit, which holds however they arrive.
    const statuses = await Promise.all(Array.from({ length: 24 }, (_, i) => loginRequest(server.url, target.email, `guess-${i + 2}`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(20);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(4);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);

    // Once limited, even the right password waits: guessing can't be confirmed by a 200.
    const right = await loginRequest(server.url, target.email, target.password);
    expect(right.status).toBe(429);
    expect(((await right.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });
});
