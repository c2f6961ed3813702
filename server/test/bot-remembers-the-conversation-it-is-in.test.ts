/**
 * The bot answers a conversation, not single messages: a Russian conversation stays Russian when
 * the visitor types an email address, a waiting visitor's follow-ups are acknowledged once per
 * burst, and a visitor back after a resolved conversation is not greeted as a stranger.
 */
import type { MessageDto, SentMessage } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { QUEUED_ACK_QUIET_MS } from '../src/domain/decide-reply.ts';
import { DEFAULT_TEMPLATES } from '../src/domain/templates/default-templates.ts';
import { chatTestKit } from './support/chat-test-kit.ts';
import { collect, connected, STORAGE_MODES, waitFor } from './support/test-server.ts';

const WELCOMES = [...DEFAULT_TEMPLATES.WELCOME!.ru, ...DEFAULT_TEMPLATES.WELCOME!.en].map((t) => t.split('{{')[0]!);

describe.each(STORAGE_MODES)('the bot remembers the conversation it is in (%s)', (mode) => {
  /** The server's clock runs this far ahead of the real one: a test moves time on instead of waiting. */
  let ahead = 0;
  const kit = chatTestKit(mode, { clock: { now: () => new Date(Date.now() + ahead) } });
  const send = kit.sent;

  const widget = async () => {
    const socket = kit.widget({ visitorId: `visitor-${crypto.randomUUID()}`, locale: 'ru' });
    const messages = collect<MessageDto>(socket, 'message:new');
    await connected(socket);
    const bot = () => messages.filter((m) => m.author === 'bot');
    return { socket, bot };
  };
  /** The message is decided (classified) and no reply was planned for it. */
  const answeredWithSilence = async (sent: SentMessage) => {
    await waitFor(async () => (await kit.server.services.store.getMessage(sent.id))?.category);
    expect(await kit.server.services.store.replyFor(sent.id)).toBeNull();
  };

  it('a Russian conversation stays Russian when the visitor types only an email address', { timeout: 60_000 }, async () => {
    const { socket, bot } = await widget();
    await send(socket, 'Здравствуйте, позовите оператора');
    await waitFor(() => bot().length === 1);
    expect(bot()[0]!.text).toBe(DEFAULT_TEMPLATES.ESCALATION_OFFLINE!.ru[0]);

    await send(socket, 'anna@example.com');
    await waitFor(() => bot().length === 2);
    expect(bot()[1]!.text).toBe('Спасибо, записал ваш адрес anna@example.com. Оператор ответит здесь, а если не успеет — напишет на почту.');
  });

  it('a waiting visitor\u2019s follow-up is acknowledged with QUEUED once per burst', { timeout: 60_000 }, async () => {
    const { socket, bot } = await widget();
    await send(socket, 'Позовите живого человека');
    await waitFor(() => bot().length === 1);
    // Right after the hand-off, a message shares it.
    await answeredWithSilence(await send(socket, 'жду'));

    ahead += QUEUED_ACK_QUIET_MS;
    await send(socket, 'ну что там?');
    await waitFor(() => bot().length === 2);
    expect(DEFAULT_TEMPLATES.QUEUED!.ru).toContain(bot()[1]!.text);

    await answeredWithSilence(await send(socket, 'алло?'));
    await answeredWithSilence(await send(socket, 'есть кто?'));
    expect(bot()).toHaveLength(2);

    // A new burst, a minute later, is acknowledged again.
    ahead += QUEUED_ACK_QUIET_MS;
    await send(socket, 'сколько ещё ждать?');
    await waitFor(() => bot().length === 3);
    expect(DEFAULT_TEMPLATES.QUEUED!.ru).toContain(bot()[2]!.text);
  });

  it('a visitor back after a resolved conversation is not greeted as a first contact', { timeout: 60_000 }, async () => {
    const owner = await kit.console();
    const { socket, bot } = await widget();

    // The very first message is welcomed.
    const first = await send(socket, 'Здравствуйте, у меня не работает интернет');
    await waitFor(() => bot().length === 1);
    expect(WELCOMES.some((w) => bot()[0]!.text.startsWith(w))).toBe(true);

    // An operator resolves it …
    await send(socket, 'Позовите оператора');
    await waitFor(() => bot().length === 2);
    for (const event of ['conversation:claim', 'conversation:resolve']) await kit.ok(owner, event, { conversationId: first.conversationId });

    // … and the visitor's next message opens a new conversation, answered without the welcome.
    const again = await send(socket, 'Снова не работает интернет');
    expect(again.conversationId).not.toBe(first.conversationId);
    const reply = await waitFor(() => bot().find((m) => m.conversationId === again.conversationId));
    expect(reply.text).not.toBe('');
    expect(WELCOMES.some((w) => reply.text.includes(w))).toBe(false);
  });
});
