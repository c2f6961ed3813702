/**
 * The bot's "typing" indicator is turned off only where it may be showing: after a reply this
 * process planned with a typing phase, or a reply another process planned (its poll took it
 * over, and that planner may have shown one). A reply planned here without a typing phase
 * (delays off, an immediate answer) goes out with no typing events at all — each is a broadcast.
 */
import { expect, it } from 'vitest';
import { ReplyDelivery } from './reply-delivery.ts';
import type { ChatStore, ConversationRecord, Realtime, StoredMessage } from './ports.ts';
import type { WebhookService } from './webhook-service.ts';

const conversation = { id: 'c1', channel: 'WIDGET', webhookUrl: null } as ConversationRecord;
const message = { id: 'm-bot', conversationId: 'c1', author: 'bot', text: 'Здравствуйте' } as StoredMessage;

function delivery() {
  const events: string[] = [];
  const store = { deliverReply: async () => ({ message, conversation }) } as unknown as ChatStore;
  const realtime = {
    typing: (_: string, author: string, on: boolean) => events.push(`typing ${author} ${on}`),
    message: () => events.push('message'),
  } as unknown as Realtime;
  const replies = new ReplyDelivery({
    store,
    realtime,
    webhooks: { leaseUntil: () => new Date(0) } as unknown as WebhookService,
    clock: { now: () => new Date() },
    onError: (error) => {
      throw error;
    },
  });
  const delivered = () => new Promise<void>((resolve) => {
    const wait = () => (events.includes('message') ? resolve() : setImmediate(wait));
    wait();
  });
  return { replies, events, delivered };
}

it('sends no typing events for a reply planned here without a typing phase', async () => {
  const { replies, events, delivered } = delivery();
  const now = new Date();
  replies.arm({ id: 'r1', conversationId: 'c1', typingAt: now, dueAt: now });
  await delivered();
  expect(events).toEqual(['message']);
});

it('turns typing on, then off with the reply, when the reply has a typing phase', async () => {
  const { replies, events, delivered } = delivery();
  const now = Date.now();
  replies.arm({ id: 'r1', conversationId: 'c1', typingAt: new Date(now), dueAt: new Date(now + 30) });
  await delivered();
  expect(events).toEqual(['typing bot true', 'typing bot false', 'message']);
});

it('turns typing off for a reply another process planned', async () => {
  const { replies, events } = delivery();
  await replies.deliver('planned-elsewhere');
  expect(events).toEqual(['typing bot false', 'message']);
});
