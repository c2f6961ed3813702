/**
 * The operators' side: claim a conversation (exactly one owner), answer, resolve, hand back to
 * the bot, resolve incidents, edit templates. Taking a conversation over silences the bot.
 */
import type { TemplateKey, ConversationDetail, IncidentDto, MessageDto, OperatorProfile, QueueItem, TemplateDto } from '@support-chat/protocol';
import { detectLocale } from '../domain/templates/detect-locale.ts';
import type { ChatService } from './chat-service.ts';
import type { ChatStore, Clock, Realtime } from './ports.ts';
import type { TemplateService } from './template-service.ts';
import type { WebhookService } from './webhook-service.ts';

export class OperatorError extends Error {
  override name = 'OperatorError';
  constructor(
    readonly code: 'not_found' | 'already_claimed' | 'not_owner' | 'resolved' | 'forbidden' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

export class OperatorService {
  constructor(
    private readonly deps: {
      store: ChatStore;
      chat: ChatService;
      realtime: Realtime;
      templates: TemplateService;
      webhooks: WebhookService;
      clock: Clock;
    },
  ) {}

  queue(): Promise<QueueItem[]> {
    return this.deps.store.queue();
  }

  incidents(): Promise<IncidentDto[]> {
    return this.deps.store.incidents('OPEN');
  }

  async open(conversationId: string): Promise<ConversationDetail> {
    const item = await this.deps.store.queueItem(conversationId);
    if (!item) throw new OperatorError('not_found', 'No such conversation');
    const messages = await this.deps.store.messagesAfter(conversationId, 0, 1000);
    return { ...item, messages };
  }

  /** An operator says a knowledge-base answer was wrong (or takes that back): stored and counted. */
  async markAnswerWrong(conversationId: string, messageId: string, wrong: boolean, operator: OperatorProfile): Promise<MessageDto> {
    const marked = await this.deps.store.markAnswerWrong(conversationId, messageId, wrong ? { operatorId: operator.id, at: this.deps.clock.now() } : null);
    if (!marked) throw new OperatorError('not_found', 'No such answer from the knowledge base in this conversation');
    return marked;
  }

  async claim(conversationId: string, operator: OperatorProfile): Promise<QueueItem> {
    const { store, realtime, chat } = this.deps;
    const won = await store.claim(conversationId, operator.id);
    const item = await store.queueItem(conversationId);
    if (!item) throw new OperatorError('not_found', 'No such conversation');
    if (!won) {
      if (item.ownerId === operator.id) return item;
      throw new OperatorError('already_claimed', item.ownerName ? `Already taken by ${item.ownerName}` : 'This conversation cannot be claimed');
    }
    await chat.cancelReplies(conversationId); // the bot goes silent the moment a human owns it
    realtime.status(conversationId, 'OPERATOR', item.priority);
    realtime.queueUpsert(item);
    return item;
  }

  async reply(conversationId: string, operator: OperatorProfile, text: string, clientMessageId: string): Promise<MessageDto> {
    const { store, realtime, webhooks } = this.deps;
    const conversation = await this.owned(conversationId, operator);
    const stored = await store.appendMessage(conversationId, { author: 'operator', text, clientMessageId, operatorId: operator.id, onlyIfOpen: true });
    if (!stored) throw new OperatorError('resolved', 'This conversation is resolved');
    const { message, duplicate } = stored;
    if (!duplicate) {
      realtime.typing(conversationId, 'operator', false);
      realtime.message(conversationId, message);
      await webhooks.enqueue(conversation, message);
    }
    return message;
  }

  typing(conversationId: string, typing: boolean): void {
    this.deps.realtime.typing(conversationId, 'operator', typing);
  }

  async resolve(conversationId: string, operator: OperatorProfile): Promise<QueueItem> {
    const { store, realtime } = this.deps;
    await this.owned(conversationId, operator, { allowUnowned: true });
    await this.deps.chat.cancelReplies(conversationId);
    const conversation = await store.resolve(conversationId, this.deps.clock.now());
    if (!conversation) throw new OperatorError('resolved', 'Already resolved');
    await this.say(conversationId, 'RESOLVED');
    realtime.status(conversationId, 'RESOLVED', conversation.priority);
    realtime.ratingRequest(conversationId);
    realtime.queueRemove(conversationId);
    return (await store.queueItem(conversationId))!;
  }

  async handBack(conversationId: string, operator: OperatorProfile): Promise<QueueItem> {
    const { store, realtime } = this.deps;
    await this.owned(conversationId, operator, { allowUnowned: true });
    const conversation = await store.handBack(conversationId);
    if (!conversation) throw new OperatorError('resolved', 'Only a waiting or taken conversation can be handed back');
    await this.say(conversationId, 'HANDBACK');
    realtime.status(conversationId, 'BOT', conversation.priority);
    realtime.queueRemove(conversationId);
    return (await store.queueItem(conversationId))!;
  }

  /** Resolves an incident; every linked visitor receives the operator's message. */
  async resolveIncident(incidentId: string, text: string, operator: OperatorProfile): Promise<IncidentDto> {
    const { store, realtime, webhooks } = this.deps;
    const result = await store.resolveIncident(incidentId, text, this.deps.clock.now());
    if (!result) throw new OperatorError('not_found', 'No open incident with this id');
    for (const conversationId of result.conversationIds) {
      const conversation = await store.getConversation(conversationId);
      if (!conversation || conversation.status === 'RESOLVED') continue;
      const stored = await store.appendMessage(conversationId, { author: 'operator', text, operatorId: operator.id, clientMessageId: `incident:${incidentId}`, onlyIfOpen: true });
      if (!stored || stored.duplicate) continue;
      const { message } = stored;
      realtime.message(conversationId, message);
      await webhooks.enqueue(conversation, message);
    }
    realtime.incidentResolved(result.siteId, result.incident);
    return result.incident;
  }

  async templates(siteKey: string): Promise<TemplateDto[]> {
    const site = await this.deps.store.findSiteByKey(siteKey);
    return site ? this.deps.store.templates(site.id) : [];
  }

  async saveTemplate(siteKey: string, category: TemplateKey, locale: string, variants: string[], operator: OperatorProfile): Promise<TemplateDto> {
    if (operator.role !== 'admin') throw new OperatorError('forbidden', 'Only admins edit templates');
    const site = await this.deps.store.findSiteByKey(siteKey);
    if (!site) throw new OperatorError('not_found', 'No such site');
    const saved = await this.deps.store.saveTemplate(site.id, category, locale, variants);
    await this.deps.templates.invalidate(site.id); // live at once, in every process
    return saved;
  }

  private async owned(conversationId: string, operator: OperatorProfile, opts: { allowUnowned?: boolean } = {}) {
    const conversation = await this.deps.store.getConversation(conversationId);
    if (!conversation) throw new OperatorError('not_found', 'No such conversation');
    if (conversation.status === 'RESOLVED') throw new OperatorError('resolved', 'This conversation is resolved');
    const mine = conversation.ownerId === operator.id || (opts.allowUnowned && conversation.ownerId === null) || operator.role === 'admin';
    if (!mine) throw new OperatorError('not_owner', 'Claim the conversation first');
    return conversation;
  }

  /** A system message from a template, in the conversation's language. */
  private async say(conversationId: string, key: string): Promise<void> {
    const { store, templates, realtime } = this.deps;
    const conversation = (await store.getConversation(conversationId))!;
    const site = await store.findSiteById(conversation.siteId);
    const last = (await store.recentVisitorMessages(conversationId, 1))[0];
    const locale = detectLocale(last?.text ?? '', conversation.locale ?? site?.locale ?? 'ru');
    const rendered = await templates.render(conversation.siteId, [key], locale, { seed: conversationId, previousKey: null, variables: { site_name: site?.name } });
    const stored = await store.appendMessage(conversationId, { author: 'system', text: rendered.text, templateKey: rendered.templateKey });
    if (stored) realtime.message(conversationId, stored.message);
  }
}
