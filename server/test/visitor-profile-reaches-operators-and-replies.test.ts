/**
 * `SupportChat('setVisitor', {name, email})`: the widget sends the profile in its handshake and
 * live with `visitor:profile`. Operators see it in the queue, the bot uses the name in
 * `{{visitor_name}}`, and a bad profile is refused with a clear error without losing the chat.
 */
import type { Ack, MessageDto, QueueItem, VisitorProfile } from '@support-chat/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { chatTestKit } from './support/chat-test-kit.ts';
import { collect, connected, STORAGE_MODES, waitFor, type OperatorClient } from './support/test-server.ts';

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };

describe.each(STORAGE_MODES)('the visitor profile (%s)', (mode) => {
  const kit = chatTestKit(mode, { owner: ADMIN });
  const { send } = kit;
  let operator: OperatorClient;
  const visitor = (auth: Parameters<typeof kit.widget>[0]) => kit.widget(auth);
  const queue = () => kit.ok<{ items: QueueItem[] }>(operator, 'queue:list').then((data) => data.items);

  beforeAll(async () => {
    operator = await kit.console();
    // Only the named greeting, so the test sees whether the name was filled in.
    await kit.ok(operator, 'templates:save', { category: 'GREETING', locale: 'ru', variants: ['Здравствуйте, {{visitor_name}}! Чем помочь?'] });
  });

  it('fills {{visitor_name}} from the handshake, and leaves no gap without one', async () => {
    const named = visitor({ profile: { name: 'Анна', email: 'anna@example.com' } });
    const namedReplies = collect<MessageDto>(named, 'message:new');
    await connected(named);
    expect((await send(named, 'Привет')).ok).toBe(true);
    await waitFor(() => namedReplies.find((m) => m.author === 'bot'));
    expect(namedReplies.find((m) => m.author === 'bot')!.text).toBe('Здравствуйте, Анна! Чем помочь?');

    const anonymous = visitor({});
    const anonymousReplies = collect<MessageDto>(anonymous, 'message:new');
    await connected(anonymous);
    expect((await send(anonymous, 'Привет')).ok).toBe(true);
    await waitFor(() => anonymousReplies.find((m) => m.author === 'bot'));
    expect(anonymousReplies.find((m) => m.author === 'bot')!.text).toBe('Здравствуйте! Чем помочь?');
  });

  it('shows operators the name and email, and a live change at once', async () => {
    const visitorId = `visitor-${crypto.randomUUID()}`;
    const socket = visitor({ visitorId, profile: { name: 'Борис', email: 'boris@example.com' } });
    await connected(socket);
    const upserts = collect<QueueItem>(operator, 'queue:upsert');
    expect((await send(socket, 'позовите оператора, пожалуйста')).ok).toBe(true);
    const queued = await waitFor(async () => (await queue()).find((i) => i.visitorId === visitorId));
    expect(queued).toMatchObject({ visitorName: 'Борис', visitorEmail: 'boris@example.com' });

    const changed = await socket.timeout(10_000).emitWithAck('visitor:profile', { name: 'Борис Петров' });
    expect(changed).toEqual({ ok: true, data: { name: 'Борис Петров' } });
    const live = await waitFor(() => upserts.find((i) => i.visitorId === visitorId && i.visitorName === 'Борис Петров'));
    expect(live.visitorEmail).toBe('boris@example.com'); // a field not sent is kept
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an invalid email', { email: 'not-an-email' }, /email: email is not a valid address/],
    ['template syntax in the name', { name: 'Анна {{site_name}}' }, /name: name has characters that are not allowed/],
    ['markup in the name', { name: '<b>Анна</b>' }, /name: name has characters that are not allowed/],
    ['an unknown field', { phone: '+7 900 000-00-00' }, /phone/],
    ['a too long name', { name: 'а'.repeat(101) }, /name/],
  ])('refuses %s with a clear error and keeps the profile it had', async (_, profile, message) => {
    const visitorId = `visitor-${crypto.randomUUID()}`;
    const socket = visitor({ visitorId, profile: { name: 'Вера' } });
    await connected(socket);
    const res = await socket.timeout(10_000).emitWithAck('visitor:profile', profile as VisitorProfile);
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe('validation_error');
      expect(res.error.message).toMatch(message);
    }
    expect((await send(socket, 'позовите человека')).ok).toBe(true);
    const queued = await waitFor(async () => (await queue()).find((i) => i.visitorId === visitorId));
    expect(queued).toMatchObject({ visitorName: 'Вера', visitorEmail: null });
  });

  it('ignores a bad profile in the handshake rather than refusing the chat', async () => {
    const visitorId = `visitor-${crypto.randomUUID()}`;
    const socket = visitor({ visitorId, profile: { name: 'Гоша', email: 'nope' } });
    await connected(socket);
    expect((await send(socket, 'позовите оператора')).ok).toBe(true);
    const queued = await waitFor(async () => (await queue()).find((i) => i.visitorId === visitorId));
    expect(queued).toMatchObject({ visitorName: null, visitorEmail: null });
  });
});

describe.each(STORAGE_MODES)('profile updates are rate-limited (%s)', (mode) => {
  const kit = chatTestKit(mode, { env: { RATE_LIMIT_ENABLED: 'true' } });

  it('cuts off a page that calls setVisitor in a loop after 10 updates a minute, and keeps the last accepted one', async () => {
    const visitorId = `visitor-${crypto.randomUUID()}`;
    const socket = kit.widget({ visitorId });
    await connected(socket);
    const answers: Ack<VisitorProfile>[] = [];
    for (let i = 1; i <= 12; i++) answers.push(await socket.timeout(10_000).emitWithAck('visitor:profile', { name: `Имя ${i}` }));
    const sent = await kit.sent(socket, 'позовите оператора');
    const item = await waitFor(() => kit.server.services.store.queueItem(sent.conversationId));
    expect(item.visitorName).toBe('Имя 10');
    expect(answers.slice(0, 10).every((a) => a.ok)).toBe(true);
    const refused = { ok: false, error: { code: 'rate_limited', message: expect.stringMatching(/^Too many profile updates: try again in \d+ s$/), retryAfterSeconds: expect.any(Number) } };
    expect(answers.slice(10)).toEqual([refused, refused]);
  });
});
