/**
 * Input Postgres cannot take is refused in validation, as the client's mistake, on every path
 * a client writes through: a NUL character (Postgres text cannot hold one: 22021) in REST fields,
 * widget messages and ids, operator replies and template variants is a 422 / `validation_error`
 * (a handshake's `invalid_handshake`), and a `lastSeq` / `afterSeq` past a 32-bit integer is too —
 * never a 500, `internal_error` or "unavailable: please retry".
 */
import { randomUUID } from 'node:crypto';
import { LIMITS, type Ack, type MessageDto, type SentMessage } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connected,
  logInOperator,
  nextEvent,
  operatorSocket,
  startTestServer,
  STORAGE_MODES,
  visitorSocket,
  type OperatorClient,
  type TestServer,
  type VisitorClient,
} from './support/test-server.ts';

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };
const NUL = '\u0000';

function post(url: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${url}/api/messages/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The reason a handshake was refused (`code: message`), or 'connected'. */
function handshake(url: string, auth: Record<string, unknown>): Promise<string> {
  const socket = visitorSocket(url, auth);
  return connected(socket).then(
    () => 'connected',
    (error: Error) => error.message,
  ).finally(() => socket.disconnect());
}

describe.each(STORAGE_MODES)('NUL characters and out-of-range seqs (%s)', (mode) => {
  let server: TestServer;
  let visitor: VisitorClient;
  let admin: OperatorClient;

  beforeAll(async () => {
    server = await startTestServer(mode, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    visitor = visitorSocket(server.url);
    await connected(visitor);
    admin = operatorSocket(server.url, await logInOperator(server.url, ADMIN));
    await connected(admin);
  });
  afterAll(async () => {
    visitor?.disconnect();
    admin?.disconnect();
    await server?.stop();
  });

  it.each([
    ['content', { client_id: 'user-1', content: `Привет${NUL}` }],
    ['client_id', { client_id: `user${NUL}1`, content: 'Привет' }],
    ['client_message_id', { client_id: 'user-1', content: 'Привет', client_message_id: `m${NUL}1` }],
  ])('REST: a NUL in %s is 422 validation_error', async (field, body) => {
    const res = await post(server.url, body);
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: { code: 'validation_error', message: `${field}: must not contain NUL characters` } });
  });

  it('widget: a NUL in a message text or its client id is a validation_error ack, and nothing is stored', async () => {
    const send = (payload: { clientMessageId: string; text: string }) => visitor.timeout(10_000).emitWithAck('message:send', payload) as Promise<Ack<SentMessage>>;
    expect(await send({ clientMessageId: randomUUID(), text: `a${NUL}b` })).toEqual({ ok: false, error: { code: 'validation_error', message: 'text: must not contain NUL characters' } });
    expect(await send({ clientMessageId: `x${NUL}`, text: 'Привет' })).toEqual({
      ok: false,
      error: { code: 'validation_error', message: 'clientMessageId: must not contain NUL characters' },
    });
    const history = await visitor.timeout(10_000).emitWithAck('history:since', { afterSeq: 0 });
    expect(history).toEqual({ ok: true, data: { messages: [] } });
  });

  it('widget handshake: a NUL in the site key, visitor id or conversation id is invalid_handshake', async () => {
    expect(await handshake(server.url, { siteKey: `demo${NUL}` })).toBe('invalid_handshake: must not contain NUL characters');
    expect(await handshake(server.url, { visitorId: `visitor-${NUL}-1234` })).toBe('invalid_handshake: visitorId has invalid characters');
    expect(await handshake(server.url, { conversationId: `c${NUL}` })).toBe('invalid_handshake: must not contain NUL characters');
  });

  it('operators: a NUL in a reply or a template variant is a validation_error ack, and the template is unchanged', async () => {
    const reply = await admin.timeout(10_000).emitWithAck('conversation:reply', { conversationId: randomUUID(), text: `ok${NUL}`, clientMessageId: randomUUID() });
    expect(reply).toEqual({ ok: false, error: { code: 'validation_error', message: 'text: must not contain NUL characters' } });
    const saved = await admin.timeout(10_000).emitWithAck('templates:save', { category: 'GREETING', locale: 'ru', variants: ['Здравствуйте!', `Привет${NUL}`] });
    expect(saved).toEqual({ ok: false, error: { code: 'validation_error', message: 'variants.1: must not contain NUL characters' } });
    const listed = await admin.timeout(10_000).emitWithAck('templates:list');
    expect(JSON.stringify(listed)).not.toContain('\\u0000');
  });

  it('a lastSeq or afterSeq past 2^31-1 is refused in validation; 2^31-1 itself is fine', async () => {
    expect(LIMITS.seqMax).toBe(2 ** 31 - 1);
    expect(await handshake(server.url, { lastSeq: 2 ** 31 })).toMatch(/^invalid_handshake: /);
    expect(await handshake(server.url, { lastSeq: 1e300 })).toMatch(/^invalid_handshake: /);

    const sent = (await visitor.timeout(10_000).emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Привет' })) as Ack<SentMessage>;
    expect(sent.ok).toBe(true);
    const tooFar = await visitor.timeout(10_000).emitWithAck('history:since', { afterSeq: 2 ** 31 });
    expect(tooFar).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    expect(await visitor.timeout(10_000).emitWithAck('history:since', { afterSeq: LIMITS.seqMax })).toEqual({ ok: true, data: { messages: [] } });

    // A reconnect resuming from the largest seq is accepted and told there is nothing newer.
    const resumed = visitorSocket(server.url, { visitorId: (visitor.auth as { visitorId: string }).visitorId, lastSeq: LIMITS.seqMax, conversationId: sent.ok ? sent.data.conversationId : null });
    const history = nextEvent<{ messages: MessageDto[] }>(resumed, 'history');
    await connected(resumed);
    expect((await history).messages).toEqual([]);
    resumed.disconnect();
  });
});
