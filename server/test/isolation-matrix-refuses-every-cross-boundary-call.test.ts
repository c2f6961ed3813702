/**
 * The isolation matrix (issue 10): every REST route and every socket event of both namespaces,
 * called across a trust boundary — no credential, another site's credential, another channel's
 * identity, a forged / expired / `alg: none` JWT, a revoked token, an operator who is not an
 * admin — is refused, and nothing the caller gets back (body, headers, acks, every pushed event)
 * holds another's conversation: its text, its id, its visitor's id or name, or a key.
 *
 * The route list is read from the routers the real server builds and the event lists from the
 * protocol's event maps, so a new route or event that is not in the matrix fails here.
 *
 * A refused handshake gates every event of its namespace (Socket.IO runs the middleware before
 * the socket exists), so the credential rows are asserted per namespace on the handshake; the
 * event rows are the calls a connected caller makes across a boundary.
 */
import Router from '@koa/router';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OperatorClientToServerEvents, VisitorClientToServerEvents } from '@support-chat/protocol';
import { SignJWT } from 'jose';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { identitySignature } from '../src/socket/visitor-identity.ts';
import {
  connected,
  logInOperator,
  nextEvent,
  operatorSocket,
  STORAGE_MODES,
  startTestServer,
  visitorSocket,
  type OperatorClient,
  type TestServer,
  type VisitorClient,
} from './support/test-server.ts';

const SECRET_TEXT = 'Договор 555-777, паспорт 4510 123456, вышлите копию';
const VICTIM_NAME = 'Viktoria Secretname';
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };
const OPERATOR = { email: 'anna@example.com', password: 'another long password' };
const LEAVER = { email: 'boris@example.com', password: 'boris long password' };
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const IDENTITY_SECRET = 'b7e2c0de'.repeat(8);
const OTHER_ORIGIN = 'http://other.example';
/** The attacker's REST calls come from outside (TRUST_PROXY is on): keyless demo calls are loopback-only. */
const ATTACKER_IP = '203.0.113.66';

/** Keys of an interface in a protocol file, read from its source so the matrix follows the protocol. */
function eventNames(file: string, name: string): string[] {
  const path = fileURLToPath(new URL(`../../protocol/src/${file}`, import.meta.url));
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
  const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!declaration) throw new Error(`${name} not found in ${file}`);
  return declaration.members.map((m) => (m.name as ts.Identifier | ts.StringLiteral).text);
}

const jwt = (secret: string, claims: { sub: string; ver?: number; aud?: string; exp: string | number }) => {
  const token = new SignJWT(claims.ver === undefined ? {} : { ver: claims.ver }).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub).setIssuedAt().setExpirationTime(claims.exp);
  return (claims.aud ? token.setAudience(claims.aud) : token).sign(new TextEncoder().encode(secret));
};
const unsigned = (claims: object) =>
  `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
const inAMinute = () => Math.floor(Date.now() / 1000) + 60;
const aMinuteAgo = () => Math.floor(Date.now() / 1000) - 60;

/** What the matrix refers to by name; filled in `beforeAll`. */
interface World {
  demoKey: string;
  otherSiteKey: string;
  otherSiteApiKey: string;
  revokedApiKey: string;
  adminToken: string;
  adminId: string;
  revokedToken: string;
  restClientId: string;
  restConversation: string;
  widgetVisitorId: string;
  widgetConversation: string;
  userConversation: string;
  /** Operator JWTs naming the admin: signed with another secret, expired, unsigned. */
  forged: string;
  expired: string;
  algNone: string;
  /** The other site's identity JWT for the verified user, expired. */
  expiredIdentity: string;
}

interface RestRow {
  route: string;
  credential: string;
  headers?: (w: World) => Record<string, string>;
  body?: (w: World) => unknown;
  status: number;
  code?: string;
}

/** Public by design: they answer everyone, and must answer with nothing of anyone's. */
const PUBLIC_ROUTES = ['GET /health', 'GET /api/health/db', 'GET /', 'GET /console', 'GET /console/console.js', 'GET /console/console.css', 'GET /widget.js', 'GET /widget-app-:hash.js', 'GET /api/widget/settings', 'GET /console/assets/:name.js'];

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const message = (clientId: string) => ({ client_id: clientId, content: 'attacker text' });

const REST_ROWS: RestRow[] = [
  ...['POST /api/messages', 'POST /api/messages/'].flatMap((route): RestRow[] => [
    { route, credential: 'none', body: () => message('anyone'), status: 401, code: 'unauthorized' },
    { route, credential: 'a made-up key', headers: () => bearer(`sk_${'A'.repeat(43)}`), body: () => message('anyone'), status: 401, code: 'unauthorized' },
    { route, credential: 'a revoked key', headers: (w) => bearer(w.revokedApiKey), body: () => message('anyone'), status: 401, code: 'unauthorized' },
    { route, credential: "an operator's JWT", headers: (w) => bearer(w.adminToken), body: () => message('anyone'), status: 401, code: 'unauthorized' },
    { route, credential: 'the metrics token', headers: () => bearer(METRICS_TOKEN), body: () => message('anyone'), status: 401, code: 'unauthorized' },
    { route, credential: "another site's key naming this site", headers: (w) => ({ ...bearer(w.otherSiteApiKey), 'x-site-key': 'demo' }), body: () => message('anyone'), status: 403, code: 'forbidden' },
  ]),
  ...['GET /metrics', 'GET /api/monitoring/stats'].flatMap((route): RestRow[] => [
    { route, credential: 'none', status: 401, code: 'unauthorized' },
    { route, credential: 'a wrong token', headers: () => bearer('metrics-token-guessed-0000000'), status: 401, code: 'unauthorized' },
    { route, credential: "an admin's JWT", headers: (w) => bearer(w.adminToken), status: 401, code: 'unauthorized' },
    { route, credential: "a site's API key", headers: (w) => bearer(w.otherSiteApiKey), status: 401, code: 'unauthorized' },
  ]),
  { route: 'POST /api/operators/login', credential: 'none', body: () => ({}), status: 422, code: 'validation_error' },
  { route: 'POST /api/operators/login', credential: 'a wrong password', body: () => ({ email: ADMIN.email, password: 'not the password' }), status: 401, code: 'invalid_credentials' },
  { route: 'POST /api/operators/login', credential: 'an unknown account', body: () => ({ email: 'nobody@example.com', password: ADMIN.password }), status: 401, code: 'invalid_credentials' },
  { route: 'POST /api/operators/login', credential: "an admin's JWT without a password", headers: (w) => bearer(w.adminToken), body: () => ({ email: ADMIN.email }), status: 422, code: 'validation_error' },
  ...(
    [
      ['none', () => ({})],
      ['a garbage token', () => bearer('garbage')],
      ['a JWT signed with another secret', (w) => bearer(w.forged)],
      ['an expired JWT', (w) => bearer(w.expired)],
      ['an alg:none JWT', (w) => bearer(w.algNone)],
      ['a revoked token', (w) => bearer(w.revokedToken)],
      ["a site's API key", (w) => bearer(w.otherSiteApiKey)],
    ] satisfies [string, NonNullable<RestRow['headers']>][]
  ).map(([credential, headers]): RestRow => ({ route: 'POST /api/operators/logout', credential, headers, status: 401, code: 'unauthorized' })),
  // Telegram's webhook of a site with no bot says only that (the secret-token check of a site with
  // a bot, 401, is in telegram-bot-answers-in-webhook-and-polling-mode.test.ts).
  ...['POST /api/integrations/telegram/webhook', 'POST /api/integrations/telegram/webhook/:siteKey'].flatMap((route): RestRow[] => [
    { route, credential: 'none', body: () => ({ update_id: 1, message: { message_id: 1, chat: { id: 1, type: 'private' }, text: 'attacker text' } }), status: 404, code: 'not_found' },
    { route, credential: 'a wrong secret token', headers: () => ({ 'x-telegram-bot-api-secret-token': 'guessed-secret' }), body: () => ({ update_id: 2, message: { message_id: 2, chat: { id: 1, type: 'private' }, text: 'attacker text' } }), status: 404, code: 'not_found' },
    { route, credential: "an operator's JWT", headers: (w) => bearer(w.adminToken), body: () => ({ update_id: 3 }), status: 404, code: 'not_found' },
  ]),
];

describe.each(STORAGE_MODES)('isolation matrix refuses every cross-boundary call (%s)', (mode) => {
  let server: TestServer;
  const routes = new Set<string>();
  const w = {} as World;
  const sockets: { disconnect(): void }[] = [];
  let victimWidget: VisitorClient;
  let admin: OperatorClient;
  let operator: OperatorClient;

  /** Everything that marks another's data: none of it may reach an attacker. */
  const foreign = () => ['555-777', '4510 123456', VICTIM_NAME, w.restConversation, w.widgetConversation, w.userConversation, w.widgetVisitorId, w.restClientId, w.otherSiteApiKey, w.adminToken];
  const expectNothingForeign = (received: unknown, label: string) => {
    const text = JSON.stringify(received);
    for (const secret of foreign()) expect(text, `${label} leaked ${secret}`).not.toContain(secret);
  };

  const rest = async (route: string, headers: Record<string, string> = {}, body?: unknown) => {
    const [method, path] = route.split(' ') as [string, string];
    const res = await fetch(`${server.url}${path.replace(':hash', 'deadbeef00').replace(':name', 'deadbeef00').replace(':siteKey', 'demo')}`, {
      method,
      headers: { 'x-forwarded-for': ATTACKER_IP, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: Object.fromEntries(res.headers), text: await res.text() };
  };

  /** A socket whose every incoming event is kept, to search it afterwards. */
  const tapped = <S extends VisitorClient | OperatorClient>(socket: S) => {
    const received: unknown[] = [];
    socket.onAny((event: string, ...args: unknown[]) => received.push({ event, args }));
    sockets.push(socket);
    return { socket, received };
  };

  beforeAll(async () => {
    // The routers the real server builds are the route list the matrix must cover.
    const original = Router.prototype.routes;
    const spy = vi.spyOn(Router.prototype, 'routes').mockImplementation(function (this: Router) {
      for (const layer of this.stack) for (const method of layer.methods) if (method !== 'HEAD') routes.add(`${method} ${String(layer.path)}`);
      return original.call(this);
    });
    try {
      server = await startTestServer(mode, {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        TRUST_PROXY: 'true',
        METRICS_TOKEN,
        OPERATOR_SESSION_RECHECK_MS: '200',
      });
    } finally {
      spy.mockRestore();
    }
    const { store, apiKeys, auth } = server.services;
    const demo = (await store.findSiteByKey('demo'))!;
    const other = await store.upsertSite({ key: `other-${randomUUID().slice(0, 8)}`, name: 'Other', locale: 'ru', allowedOrigins: [OTHER_ORIGIN], identitySecret: IDENTITY_SECRET });
    w.demoKey = (await apiKeys.create(demo.id, 'victim')).key;
    w.otherSiteKey = other.key;
    w.otherSiteApiKey = (await apiKeys.create(other.id, 'attacker')).key;
    const old = await apiKeys.create(demo.id, 'old');
    await apiKeys.revoke(demo.id, old.record.id);
    w.revokedApiKey = old.key;

    await auth.upsert({ email: OPERATOR.email, name: 'Anna', role: 'operator', sites: [{ siteKey: 'demo', role: 'operator' }], password: OPERATOR.password });
    await auth.upsert({ email: LEAVER.email, name: 'Boris', role: 'operator', sites: [{ siteKey: 'demo', role: 'operator' }], password: LEAVER.password });
    w.adminToken = await logInOperator(server.url, ADMIN);
    w.adminId = (await store.findOperatorByEmail(ADMIN.email))!.id;
    w.revokedToken = await logInOperator(server.url, LEAVER);
    expect((await rest('POST /api/operators/logout', bearer(w.revokedToken))).status).toBe(204);
    const secretKey = server.config.SECRET_KEY;
    w.forged = await jwt('a-secret-that-is-not-the-servers-0123456789', { sub: w.adminId, ver: 0, aud: 'operator', exp: inAMinute() });
    w.expired = await jwt(secretKey, { sub: w.adminId, ver: 0, aud: 'operator', exp: aMinuteAgo() });
    w.algNone = unsigned({ sub: w.adminId, ver: 0, aud: 'operator', exp: inAMinute() });
    w.expiredIdentity = await jwt(IDENTITY_SECRET, { sub: 'alice', exp: aMinuteAgo() });

    // The victims: a REST client, a widget visitor with a name, a verified user of the other site.
    w.restClientId = `victim-client-${randomUUID().slice(0, 8)}`;
    const posted = await rest('POST /api/messages/', { ...bearer(w.demoKey), 'x-platform': 'telegram' }, { client_id: w.restClientId, content: SECRET_TEXT });
    expect(posted.status).toBe(200);
    w.restConversation = (JSON.parse(posted.text) as { conversation_id: string }).conversation_id;

    w.widgetVisitorId = `victim-visitor-${randomUUID()}`;
    victimWidget = visitorSocket(server.url, { visitorId: w.widgetVisitorId, profile: { name: VICTIM_NAME } });
    sockets.push(victimWidget);
    await connected(victimWidget);
    const sent = await victimWidget.emitWithAck('message:send', { clientMessageId: randomUUID(), text: SECRET_TEXT });
    if (!sent.ok) throw new Error(sent.error.message);
    w.widgetConversation = sent.data.conversationId;

    const user = visitorSocket(server.url, { siteKey: other.key, identity: { userId: 'alice', signature: identitySignature(IDENTITY_SECRET, 'alice') } }, { origin: OTHER_ORIGIN });
    sockets.push(user);
    await connected(user);
    const userSent = await user.emitWithAck('message:send', { clientMessageId: randomUUID(), text: SECRET_TEXT });
    if (!userSent.ok) throw new Error(userSent.error.message);
    w.userConversation = userSent.data.conversationId;

    // The admin owns the widget conversation: another operator may not act in it.
    admin = operatorSocket(server.url, w.adminToken);
    operator = operatorSocket(server.url, await logInOperator(server.url, OPERATOR));
    sockets.push(admin, operator);
    await Promise.all([connected(admin), connected(operator)]);
    const claimed = await admin.emitWithAck('conversation:claim', { conversationId: w.widgetConversation });
    if (!claimed.ok) throw new Error(claimed.error.message);
  }, 60_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.stop();
  });

  it('covers every route the server serves', () => {
    const matrix = new Set([...PUBLIC_ROUTES, ...REST_ROWS.map((r) => r.route)]);
    expect([...routes].sort()).toEqual([...matrix].sort());
  });

  it.each(REST_ROWS.map((r) => [`${r.route} with ${r.credential}`, r] as const))('%s → refused, nothing leaked', async (_label, row) => {
    const res = await rest(row.route, row.headers?.(w), row.body?.(w));
    expect(res.status).toBe(row.status);
    const body = JSON.parse(res.text) as { error?: { code: string } };
    expect(body.error?.code).toBe(row.code);
    expect(Object.keys(body)).toEqual(['error']); // no token, no stats, no message: the error only
    expectNothingForeign(res, row.route);
  });

  it.each(PUBLIC_ROUTES)('%s answers everyone with nothing of anyone', async (route) => {
    const res = await rest(route);
    // Static files answer 200, or 404 for an unknown build hash, or 503 before `pnpm build`.
    if (!route.includes('health')) expect([200, 404, 503]).toContain(res.status);
    if (route === 'GET /health') expect(JSON.parse(res.text)).toEqual({ status: expect.any(String), database: 'ok', redis: expect.any(String) });
    if (route === 'GET /api/health/db') expect(JSON.parse(res.text)).toEqual({ status: 'ok', database: 'connected' });
    expectNothingForeign(res, route);
  });

  it('a REST caller naming another channel or site’s identity gets a conversation of its own', async () => {
    const cases: [string, Record<string, string>, string][] = [
      ["another site's key, the victim's client_id and platform", { ...bearer(w.otherSiteApiKey), 'x-platform': 'telegram' }, w.restClientId],
      ["the widget visitor's id as client_id", bearer(w.demoKey), w.widgetVisitorId],
      ["the verified user's visitor key as client_id", bearer(w.demoKey), 'user:alice'],
      ["the widget conversation's id as X-Chat-ID", { ...bearer(w.demoKey), 'x-chat-id': w.widgetConversation }, `chat-${randomUUID()}`],
    ];
    for (const [label, headers, clientId] of cases) {
      const res = await rest('POST /api/messages/', headers, { client_id: clientId, content: 'attacker text' });
      expect(res.status, label).toBe(200);
      const body = JSON.parse(res.text) as { conversation_id: string; is_first_message: boolean };
      expect(body.is_first_message, label).toBe(true);
      // Its own client_id is its own to see; everything else of the victims stays out.
      expectNothingForeign(JSON.parse(res.text.replaceAll(clientId, '<own>')), label);
      expect([w.restConversation, w.widgetConversation, w.userConversation], label).not.toContain(body.conversation_id);
    }
  });

  type VisitorCredential = (w: World) => [Parameters<typeof visitorSocket>[1], Parameters<typeof visitorSocket>[2]];
  const VISITOR_HANDSHAKES: [string, VisitorCredential, RegExp][] = [
    ['no credential (no Origin, no identity)', () => [{}, { origin: null }], /^origin_required/],
    ['an unknown site', () => [{ siteKey: 'no-such-site' }, {}], /^unknown_site/],
    ["another site's page opening this site", () => [{}, { origin: OTHER_ORIGIN }], /^origin_not_allowed/],
    ["this site's page opening another site", (w) => [{ siteKey: w.otherSiteKey }, {}], /^origin_not_allowed/],
    ["a REST client's identity as visitorId", (w) => [{ visitorId: `rest:telegram:${w.restClientId}` }, {}], /^invalid_handshake/],
    ["a verified user's identity as visitorId", () => [{ visitorId: 'user:alice' }, {}], /^invalid_handshake/],
    ['an identity signed with another secret', (w) => [{ siteKey: w.otherSiteKey, identity: { userId: 'alice', signature: identitySignature('not-the-secret', 'alice') } }, { origin: OTHER_ORIGIN }], /^invalid_identity/],
    ['an expired identity JWT', (w) => [{ siteKey: w.otherSiteKey, identity: { userId: 'alice', signature: w.expiredIdentity } }, { origin: OTHER_ORIGIN }], /^invalid_identity/],
    ['an alg:none identity JWT', (w) => [{ siteKey: w.otherSiteKey, identity: { userId: 'alice', signature: unsigned({ sub: 'alice', exp: inAMinute() }) } }, { origin: OTHER_ORIGIN }], /^invalid_identity/],
    ["an operator's JWT as identity", (w) => [{ siteKey: w.otherSiteKey, identity: { userId: 'alice', signature: w.adminToken } }, { origin: OTHER_ORIGIN }], /^invalid_identity/],
    ["another site's signature on a site without a secret", () => [{ identity: { userId: 'alice', signature: identitySignature(IDENTITY_SECRET, 'alice') } }, {}], /^invalid_identity/],
  ];

  it.each(VISITOR_HANDSHAKES)('/visitor handshake with %s → refused, nothing received', async (_label, make, code) => {
    const [auth, headers] = make(w);
    const { socket, received } = tapped(visitorSocket(server.url, auth, headers));
    await expect(connected(socket)).rejects.toThrow(code);
    expect(received).toEqual([]);
  });

  /** Connected visitors who name someone else's identity or conversation: each event stays in their own conversation. */
  const VISITOR_POSERS: [string, VisitorCredential][] = [
    ["the REST client's client_id as visitorId, naming its conversation", (w) => [{ visitorId: w.restClientId, conversationId: w.restConversation, lastSeq: 0 }, {}]],
    ["the widget visitor's id on another site", (w) => [{ siteKey: w.otherSiteKey, visitorId: w.widgetVisitorId, conversationId: w.widgetConversation, lastSeq: 0 }, { origin: OTHER_ORIGIN }]],
    ["a fresh visitor naming the verified user's conversation", (w) => [{ conversationId: w.userConversation, lastSeq: 0 }, {}]],
  ];
  type VisitorEvent = keyof VisitorClientToServerEvents;
  /** Each visitor event with what a poser may get: its own, never the victim's. */
  const VISITOR_EVENTS: Record<VisitorEvent, { payload: unknown; ok: boolean; code?: string }> = {
    'message:send': { payload: { clientMessageId: 'poser-message', text: 'attacker text' }, ok: true },
    'history:since': { payload: { afterSeq: 0 }, ok: true },
    typing: { payload: { typing: true }, ok: true },
    'rating:submit': { payload: { rating: 5 }, ok: false, code: 'not_resolved' },
    'visitor:profile': { payload: { name: 'Poser' }, ok: true },
  };

  it('covers every event of both namespaces', () => {
    expect(Object.keys(VISITOR_EVENTS).sort()).toEqual(eventNames('visitor-events.ts', 'VisitorClientToServerEvents').sort());
    expect([...Object.keys(OPERATOR_EVENTS), ...Object.keys(OPEN_TO_EVERY_OPERATOR)].sort()).toEqual(eventNames('operator-events.ts', 'OperatorClientToServerEvents').sort());
  });

  it.each(VISITOR_POSERS.flatMap(([who, make]) => Object.entries(VISITOR_EVENTS).map(([event, row]) => [event, who, make, row] as const)))(
    '/visitor %s by %s → only its own conversation, nothing leaked',
    async (event, _who, make, row) => {
      const [auth, headers] = make(w);
      const { socket, received } = tapped(visitorSocket(server.url, auth, headers));
      const session = nextEvent<{ conversationId: string | null }>(socket, 'session');
      const history = nextEvent<{ messages: unknown[] }>(socket, 'history');
      await connected(socket);
      // A poser sees its own conversation at most (one it began in an earlier row), never the named one.
      expect([w.restConversation, w.widgetConversation, w.userConversation]).not.toContain((await session).conversationId);
      await history;
      if (event === 'history:since') await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'attacker text' });
      const ack = (await (socket.emitWithAck as (e: string, p: unknown) => Promise<{ ok: boolean; data?: unknown; error?: { code: string } }>)(event, row.payload));
      expect(ack.ok).toBe(row.ok);
      if (!row.ok) expect(ack.error?.code).toBe(row.code);
      if (event === 'history:since') {
        const messages = (ack.data as { messages: { author: string; text: string }[] }).messages;
        expect(messages.filter((m) => m.author === 'visitor').map((m) => m.text)).toContain('attacker text');
        expect(messages.filter((m) => m.author === 'visitor').every((m) => m.text === 'attacker text')).toBe(true);
      }
      socket.disconnect();
      expectNothingForeign([ack, received], `${event} by a poser`);
    },
  );

  const OPERATOR_HANDSHAKES: [string, (w: World) => string | Promise<string> | undefined][] = [
    ['no token', () => undefined],
    ['a garbage token', () => 'garbage'],
    ['a JWT signed with another secret', (w) => w.forged],
    ['an expired JWT', (w) => w.expired],
    ['an alg:none JWT', (w) => w.algNone],
    ['a JWT for another audience', (w) => jwt(server.config.SECRET_KEY, { sub: w.adminId, ver: 0, exp: inAMinute() })],
    ['a JWT of no operator', () => jwt(server.config.SECRET_KEY, { sub: randomUUID(), ver: 0, aud: 'operator', exp: inAMinute() })],
    ['a revoked token (logged out)', (w) => w.revokedToken],
    ["a site's API key", (w) => w.otherSiteApiKey],
    ['the metrics token', () => METRICS_TOKEN],
    ["a site's identity JWT", (w) => jwt(IDENTITY_SECRET, { sub: w.adminId, ver: 0, aud: 'operator', exp: inAMinute() })],
  ];

  it.each(OPERATOR_HANDSHAKES)('/operator handshake with %s → refused, nothing received', async (_label, make) => {
    const token = await make(w);
    const { socket, received } = tapped(operatorSocket(server.url, token as string));
    await expect(connected(socket)).rejects.toThrow(/^unauthorized/);
    expect(received).toEqual([]);
  });

  it('a console socket whose token is revoked while connected is cut', async () => {
    const token = await logInOperator(server.url, LEAVER);
    const { socket } = tapped(operatorSocket(server.url, token));
    await connected(socket);
    const cut = nextEvent<string>(socket, 'disconnect', 20_000);
    expect((await rest('POST /api/operators/logout', bearer(token))).status).toBe(204);
    expect(await cut).toBe('io server disconnect');
  });

  type OperatorEvent = keyof OperatorClientToServerEvents;
  /** Calls a signed-in operator who is not an admin, and does not own the conversation, may not make. */
  const OPERATOR_EVENTS: Partial<Record<OperatorEvent, { payload: (w: World) => unknown; code: string }>> = {
    'conversation:claim': { payload: (w) => ({ conversationId: w.widgetConversation }), code: 'already_claimed' },
    'conversation:reply': { payload: (w) => ({ conversationId: w.widgetConversation, text: 'attacker text', clientMessageId: randomUUID() }), code: 'not_owner' },
    'conversation:resolve': { payload: (w) => ({ conversationId: w.widgetConversation }), code: 'not_owner' },
    'conversation:handback': { payload: (w) => ({ conversationId: w.widgetConversation }), code: 'not_owner' },
    'conversation:transfer': { payload: (w) => ({ conversationId: w.widgetConversation, operatorId: w.adminId }), code: 'not_owner' },
    'team:auto-assign': { payload: () => ({ enabled: true }), code: 'forbidden' },
    'templates:save': { payload: () => ({ category: 'WELCOME', locale: 'ru', variants: ['attacker text'] }), code: 'forbidden' },
    'apikeys:list': { payload: () => undefined, code: 'forbidden' },
    'apikeys:create': { payload: () => ({ name: 'mine' }), code: 'forbidden' },
    'apikeys:revoke': { payload: () => ({ id: randomUUID() }), code: 'forbidden' },
    'knowledge:save': { payload: () => ({ title: 'attacker article', body: 'attacker text' }), code: 'forbidden' },
    'knowledge:delete': { payload: () => ({ id: randomUUID() }), code: 'forbidden' },
    'canned:save': { payload: () => ({ shortcut: 'attacker', text: 'attacker text' }), code: 'forbidden' },
    'canned:delete': { payload: () => ({ id: randomUUID() }), code: 'forbidden' },
    'sites:create': { payload: () => ({ name: 'Attacker site', allowedOrigins: [], locale: 'ru' }), code: 'forbidden' },
    'sites:update': { payload: () => ({ siteKey: 'demo', allowedOrigins: ['https://attacker.example'] }), code: 'forbidden' },
    'members:list': { payload: () => undefined, code: 'forbidden' },
    'members:add': { payload: () => ({ email: 'mallory@example.com', role: 'admin', name: 'Mallory', password: 'mallory-password' }), code: 'forbidden' },
    'members:remove': { payload: (w) => ({ operatorId: w.adminId }), code: 'forbidden' },
    'visitor:erase': { payload: (w) => ({ conversationId: w.widgetConversation }), code: 'forbidden' },
    'audit:list': { payload: () => ({}), code: 'forbidden' },
    'telegram:get': { payload: () => undefined, code: 'forbidden' },
    'telegram:update': { payload: () => ({ enabled: true }), code: 'forbidden' },
  };
  /**
   * Open to every operator of a site by design (its team serves its queue): their gate is the
   * handshake above, and another site's things are refused by operators-see-only-their-sites.test.ts.
   */
  const OPEN_TO_EVERY_OPERATOR: Partial<Record<OperatorEvent, string>> = {
    'queue:list': "the queue of the operator's sites",
    'conversation:open': "reading a queued conversation of the operator's sites",
    'conversation:typing': 'only reaches a conversation the operator opened',
    'conversation:note': "a private note to the team, in a conversation of the operator's sites",
    'incident:resolve': "any operator of the site may close its outage",
    'templates:list': 'read-only',
    'knowledge:list': 'read-only',
    'canned:list': "read-only, the operator's own site's",
    'team:list': "who works in the operator's own site (the transfer picker)",
    'operator:availability': "the caller's own availability and capacity",
    'message:mark-wrong': 'an opinion on a bot answer of a conversation the operator may read',
    'sites:list': "the operator's own sites and its role there",
    'conversation:export': "the transcript of a conversation the operator may read",
    'analytics:get': "the numbers of the operator's own site",
    'inbox:list': "the views of the operator's own sites",
    'inbox:search': "messages of the operator's own sites",
    'conversation:earlier': "older messages of a conversation the operator may read",
    'operator:profile:update': "the caller's own display name and avatar",
  };

  it.each(Object.entries(OPERATOR_EVENTS))('/operator %s by an operator who is not its admin or owner → refused', async (event, row) => {
    const payload = row!.payload(w);
    const emit = operator.emitWithAck.bind(operator) as (e: string, ...args: unknown[]) => Promise<{ ok: boolean; error?: { code: string } }>;
    const ack = await (payload === undefined ? emit(event) : emit(event, payload));
    expect(ack).toEqual({ ok: false, error: { code: row!.code, message: expect.any(String) } });
    // Acks only: this operator legitimately sees the shared queue's broadcasts.
    expectNothingForeign(ack, event);
  });

  it("nothing the attackers did reached the victims' conversations, and the admin's session still works", async () => {
    const { store } = server.services;
    for (const conversationId of [w.restConversation, w.widgetConversation, w.userConversation]) {
      const texts = (await store.messagesAfter(conversationId, 0, 100)).filter((m) => m.author === 'visitor' || m.author === 'operator').map((m) => m.text);
      expect(texts).toEqual([SECRET_TEXT]);
    }
    expect((await store.getConversation(w.widgetConversation))?.ownerId).toBe(w.adminId);
    expect((await admin.emitWithAck('queue:list')).ok).toBe(true);
  });
});
