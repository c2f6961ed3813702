/**
 * The Telegram channel: a bot's updates in, the conversation's words out.
 *
 * In: each update (from the webhook or from long polling) is read by the domain
 * (`readUpdate`); a text message enters the same pipeline as the widget's — stored idempotently
 * (its Telegram message id is the client id), then decided in the background (classification,
 * knowledge, templates, escalation, outage detection) — while `/start` gets the greeting, a
 * photo or sticker a polite "text only" (operators see "[photo]"), and a rating button is stored
 * as the conversation's CSAT.
 * Out: bot replies, operators' messages and the resolution's rating keyboard go through the
 * durable `TelegramOutbox`; the typing phase of a planned reply is `sendChatAction typing`,
 * re-sent every 4 s (Telegram shows it for 5).
 */
import type { MessageDto } from '@support-chat/protocol';
import { telegramVisitorId } from '../domain/rest-identity.ts';
import { mediaPlaceholder, ratingKeyboard, ratingPrompt, ratingThanks, textOnlyNotice } from '../domain/telegram/telegram-texts.ts';
import { readUpdate, telegramLocale, type TelegramEvent, type TelegramSender } from '../domain/telegram/telegram-update.ts';
import { detectLocale } from '../domain/templates/detect-locale.ts';
import type { ChatService } from './chat-service.ts';
import type { ChatStore, ConversationRecord, DeliveredReply, SiteRecord, TelegramApi, TelegramDelivery, TelegramStore } from './ports.ts';
import type { TelegramOutbox } from './telegram-outbox.ts';
import type { TemplateService } from './template-service.ts';

/** Telegram's typing status lasts 5 s; it is renewed before it fades. */
const TYPING_RENEW_MS = 4000;
/** Chats this process is typing in or has heard from recently (for the typing status). */
const KNOWN_CHATS = 10_000;

export interface TelegramLog {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

export class TelegramChannel {
  /** conversation → its site and chat, for the typing status of replies this process planned. */
  private readonly chats = new Map<string, { siteId: string; chatId: string }>();
  private readonly typingTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly deps: {
      chat: Pick<ChatService, 'store' | 'decideSoon'>;
      store: Pick<ChatStore, 'getConversation' | 'rate' | 'saveVisitorProfile'>;
      telegram: TelegramStore;
      outbox: Pick<TelegramOutbox, 'send' | 'sendStored' | 'leaseUntil'>;
      templates: Pick<TemplateService, 'render'>;
      api: TelegramApi;
      tokenFor: (siteId: string) => Promise<string | null>;
      log: TelegramLog;
      onError: (error: unknown, context: string) => void;
    },
  ) {}

  /**
   * Handles one update of the site's bot. Resolves once what must survive is stored (the caller
   * may then confirm the update to Telegram); rejects when storing failed (Telegram re-sends).
   */
  async handle(site: SiteRecord, raw: unknown): Promise<void> {
    const event = readUpdate(raw);
    switch (event.kind) {
      case 'malformed':
        this.deps.log.warn({ site: site.key, reason: event.reason }, 'telegram: a malformed update was dropped');
        return;
      case 'ignored':
        return;
      case 'text':
        return this.text(site, event);
      case 'start':
        return this.start(site, event);
      case 'media':
        return this.media(site, event);
      case 'rating':
        return this.rating(site, event);
      case 'callback':
        return this.deps.outbox.send({ key: `cb:${site.id}:${event.callbackId}`, siteId: site.id, conversationId: null, method: 'answerCallbackQuery', payload: { callback_query_id: event.callbackId } });
    }
  }

  private async text(site: SiteRecord, event: Extract<TelegramEvent, { kind: 'text' }>): Promise<void> {
    const locale = telegramLocale(event.sender.languageCode);
    const stored = await this.storeVisitorMessage(site, event.sender, event.messageId, event.text, locale);
    if (stored.duplicate && stored.message.category) return; // a re-sent update
    this.deps.chat.decideSoon(site, stored.conversationId, stored.message.id, locale, stored.context, 'TELEGRAM');
  }

  private async media(site: SiteRecord, event: Extract<TelegramEvent, { kind: 'media' }>): Promise<void> {
    const locale = telegramLocale(event.sender.languageCode) ?? (site.locale === 'en' ? 'en' : 'ru');
    const stored = await this.storeVisitorMessage(site, event.sender, event.messageId, mediaPlaceholder(event.media), locale);
    await this.deps.telegram.decideUnreadable(stored.message.id);
    await this.deps.outbox.send({
      key: `unreadable:${stored.message.id}`,
      siteId: site.id,
      conversationId: stored.conversationId,
      method: 'sendMessage',
      payload: { chat_id: event.sender.chatId, text: textOnlyNotice(locale) },
    });
  }

  private async start(site: SiteRecord, event: Extract<TelegramEvent, { kind: 'start' }>): Promise<void> {
    const { sender } = event;
    const locale = telegramLocale(sender.languageCode) ?? (site.locale === 'en' ? 'en' : 'ru');
    if (sender.displayName) await this.deps.store.saveVisitorProfile(site.id, telegramVisitorId(sender.chatId), { name: sender.displayName });
    const own = site.settings?.greeting?.[locale];
    const text = own || (await this.deps.templates.render(site.id, ['GREETING'], locale, { seed: `${sender.chatId}`, previousKey: null, variables: { site_name: site.name } })).text;
    await this.deps.outbox.send({ key: `start:${site.id}:${sender.chatId}:${event.messageId}`, siteId: site.id, conversationId: null, method: 'sendMessage', payload: { chat_id: sender.chatId, text } });
  }

  private async rating(site: SiteRecord, event: Extract<TelegramEvent, { kind: 'rating' }>): Promise<void> {
    const conversation = await this.deps.store.getConversation(event.conversationId);
    // Only the chat that was asked may rate its own resolved conversation.
    const own =
      conversation?.siteId === site.id && conversation.channel === 'TELEGRAM' && conversation.visitorExternalId === telegramVisitorId(event.sender.chatId) && conversation.status === 'RESOLVED';
    if (own) await this.deps.store.rate(conversation.id, event.score);
    const locale = telegramLocale(event.sender.languageCode) ?? 'ru';
    await this.deps.outbox.send({
      key: `cb:${site.id}:${event.callbackId}`,
      siteId: site.id,
      conversationId: own ? conversation.id : null,
      method: 'answerCallbackQuery',
      payload: { callback_query_id: event.callbackId, ...(own ? { text: ratingThanks(locale) } : {}) },
    });
  }

  private async storeVisitorMessage(site: SiteRecord, sender: TelegramSender, messageId: number, text: string, locale: 'ru' | 'en' | null) {
    const visitorExternalId = telegramVisitorId(sender.chatId);
    const stored = await this.deps.chat.store({
      site,
      visitorExternalId,
      text,
      clientMessageId: `tg:${messageId}`,
      channel: 'TELEGRAM',
      locale,
      platform: 'telegram',
      chatId: sender.chatId,
      // Operators see who wrote: the Telegram name and @username, kept current at each new conversation.
      visitorName: sender.displayName || null,
    });
    this.remember(stored.conversationId, site.id, sender.chatId);
    return stored;
  }

  /** The lease of a reply's call stored by `deliverReply` (see `delivered`). */
  replyCall(): TelegramDelivery {
    return { leaseUntil: this.deps.outbox.leaseUntil() };
  }

  /**
   * A bot reply delivered by `deliverReply(…, replyCall())`: its call was stored with it (absent:
   * stored before, by whoever delivered it), and is made now unless it must wait.
   */
  async delivered(conversation: ConversationRecord, reply: DeliveredReply): Promise<void> {
    if (conversation.channel !== 'TELEGRAM') return;
    this.stopTyping(conversation.id);
    if (reply.telegramCall) await this.deps.outbox.sendStored(reply.telegramCall);
  }

  /** An operator's message of a Telegram conversation: sent once, durably. */
  async deliver(conversation: ConversationRecord, message: MessageDto): Promise<void> {
    if (conversation.channel !== 'TELEGRAM' || !conversation.chatId || message.author === 'visitor') return;
    this.stopTyping(conversation.id);
    await this.deps.outbox.send({
      key: `msg:${message.id}`,
      siteId: conversation.siteId,
      conversationId: conversation.id,
      method: 'sendMessage',
      payload: { chat_id: conversation.chatId, text: message.text },
    });
  }

  /** The conversation was resolved: its resolution message with the 1–5 rating keyboard. */
  async askRating(conversation: ConversationRecord, resolution: MessageDto | null): Promise<void> {
    if (conversation.channel !== 'TELEGRAM' || !conversation.chatId) return;
    const locale = detectLocale('', conversation.locale ?? 'ru');
    const text = [resolution?.text, ratingPrompt(locale)].filter(Boolean).join('\n\n');
    await this.deps.outbox.send({
      key: `rate:${conversation.id}`,
      siteId: conversation.siteId,
      conversationId: conversation.id,
      method: 'sendMessage',
      payload: { chat_id: conversation.chatId, text, reply_markup: ratingKeyboard(conversation.id) },
    });
  }

  /** The bot's typing phase in a conversation this process planned a reply for. */
  typing(conversationId: string, on: boolean): void {
    if (!on) return this.stopTyping(conversationId);
    const chat = this.chats.get(conversationId);
    if (!chat || this.typingTimers.has(conversationId)) return;
    const send = () =>
      void this.deps
        .tokenFor(chat.siteId)
        .then((token) => token && this.deps.api.call(token, 'sendChatAction', { chat_id: chat.chatId, action: 'typing' }))
        // The status is cosmetic: a failure is not worth a retry.
        .catch((error: unknown) => this.deps.log.info({ err: error instanceof Error ? error.message : String(error) }, 'telegram: sendChatAction failed'));
    send();
    const timer = setInterval(send, TYPING_RENEW_MS);
    timer.unref();
    this.typingTimers.set(conversationId, timer);
  }

  private stopTyping(conversationId: string): void {
    clearInterval(this.typingTimers.get(conversationId));
    this.typingTimers.delete(conversationId);
  }

  private remember(conversationId: string, siteId: string, chatId: string): void {
    this.chats.delete(conversationId);
    if (this.chats.size >= KNOWN_CHATS) this.chats.delete(this.chats.keys().next().value!);
    this.chats.set(conversationId, { siteId, chatId });
  }

  stop(): void {
    for (const timer of this.typingTimers.values()) clearInterval(timer);
    this.typingTimers.clear();
  }
}
