/**
 * A waiting visitor hears their place in the site's queue and how long its visitors usually wait,
 * pushed live as the queue moves; the usual wait is the median of the site's real recent first
 * responses (none at all without them). The claim tells the visitor who joined, by the display
 * name the operator set — never the account's name.
 */
import type { Ack, MessageDto, QueuePlace, VisitorSession } from '@support-chat/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { chatTestKit } from './support/chat-test-kit.ts';
import { collect, connected, STORAGE_MODES, waitFor, type OperatorClient } from './support/test-server.ts';

/** Each earlier conversation waits this long for its first answer: the usual wait is then 2 minutes. */
const FIRST_RESPONSE_MS = 115_000;

describe.each(STORAGE_MODES)('waiting visitors hear their place and the usual wait (%s)', (mode) => {
  /** The server's clock runs this far from the real one: escalations are dated into the past. */
  let skew = 0;
  const kit = chatTestKit(mode, { clock: { now: () => new Date(Date.now() + skew) } });
  let owner: OperatorClient;
  const ok = <T,>(event: string, payload: unknown) => kit.ok<T>(owner, event, payload);
  const escalated = async () => {
    const socket = kit.widget({ locale: 'ru' });
    const places = collect<QueuePlace | null>(socket, 'queue:place');
    const messages = collect<MessageDto>(socket, 'message:new');
    await connected(socket);
    const { conversationId } = await kit.sent(socket, 'Позовите оператора, пожалуйста');
    await waitFor(() => messages.some((m) => m.author === 'bot'));
    return { socket, places, messages, conversationId };
  };

  beforeAll(async () => {
    owner = await kit.console();
  });

  it('no number while the site has no first responses; the place moves up live when the one ahead is claimed', { timeout: 120_000 }, async () => {
    const first = await escalated();
    await waitFor(() => first.places.at(-1)?.position === 1);
    expect(first.places.at(-1)).toEqual({ position: 1, estimateMinutes: null });
    // The hand-off quotes no made-up number either.
    expect(first.messages.find((m) => m.author === 'bot')!.text).not.toMatch(/\d/);

    const second = await escalated();
    await waitFor(() => second.places.at(-1)?.position === 2);

    // A reconnecting widget gets its place with the session.
    const again = kit.widget({ visitorId: (second.socket.auth as { visitorId: string }).visitorId });
    const session = new Promise<VisitorSession>((resolve) => again.once('session', resolve));
    await connected(again);
    expect((await session).queue).toEqual({ position: 2, estimateMinutes: null });

    // The operator takes the first: it leaves the queue, the second moves up.
    await ok('conversation:claim', { conversationId: first.conversationId });
    await waitFor(() => first.places.at(-1) === null);
    await waitFor(() => second.places.at(-1)?.position === 1);
    await ok('conversation:claim', { conversationId: second.conversationId });
    await waitFor(() => second.places.at(-1) === null);
  });

  it('the usual wait is the median of the site\u2019s recent first responses, also in the hand-off', { timeout: 120_000 }, async () => {
    for (let i = 0; i < 3; i++) {
      skew = -FIRST_RESPONSE_MS; // escalated a little under two minutes ago …
      const earlier = await escalated();
      skew = 0; // … and answered now
      await ok('conversation:claim', { conversationId: earlier.conversationId });
      await ok('conversation:reply', { conversationId: earlier.conversationId, text: 'Здравствуйте, смотрю', clientMessageId: crypto.randomUUID() });
      await ok('conversation:resolve', { conversationId: earlier.conversationId });
    }
    // The estimate is cached for a minute: move past it.
    skew = 61_000;
    const waiting = await escalated();
    await waitFor(() => waiting.places.at(-1)?.position === 1);
    expect(waiting.places.at(-1)).toEqual({ position: 1, estimateMinutes: 2 });
    expect(waiting.messages.find((m) => m.author === 'bot')!.text).toMatch(/2 мин/);
  });

  it('the claim tells the visitor who joined by the display name, with the avatar; never the account name', { timeout: 120_000 }, async () => {
    const waiting = await escalated();
    await ok('operator:profile:update', { displayName: 'Анна', avatarUrl: 'https://cdn.example/anna.png' });
    await ok('conversation:claim', { conversationId: waiting.conversationId });
    const joined = await waitFor(() => waiting.messages.find((m) => m.author === 'system'));
    expect(joined).toMatchObject({ text: 'Оператор Анна на связи и уже читает переписку.', avatarUrl: 'https://cdn.example/anna.png' });
    await ok('conversation:reply', { conversationId: waiting.conversationId, text: 'Здравствуйте!', clientMessageId: crypto.randomUUID() });
    const reply = await waitFor(() => waiting.messages.find((m) => m.author === 'operator'));
    expect(reply.operatorName).toBe('Анна');
    expect(JSON.stringify(waiting.messages)).not.toMatch(/Admin|owner@example\.com/);
  });

  it('an avatar that is not http(s) is refused', async () => {
    const refused = (await owner.timeout(10_000).emitWithAck('operator:profile:update', { avatarUrl: 'javascript:alert(1)' })) as Ack<unknown>;
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation_error' } });
  });
});
