/**
 * The operators' side (reading the inbox is `inbox.ts`): claim a conversation (exactly one owner), answer, resolve, hand back to
 * the bot, resolve incidents, edit templates. Taking a conversation over silences the bot.
 * Every call is scoped to the operator's sites (SiteAccess): another site's conversation or
 * incident is `not_found`, as if it did not exist.
 */
import type { TemplateKey, IncidentDto, MessageDto, OperatorProfile, QueueItem, TemplateDto } from '@support-chat/protocol';
import { visibleOperatorName } from '../domain/operators/public-profile.ts';
import { conversationLanguage } from '../domain/templates/conversation-language.ts';
import { noAudit, type AuditRecorder } from './audit-trail.ts';
import type { TemplateVariables } from '../domain/templates/render-template.ts';
import type { ChatService } from './chat-service.ts';
import { OperatorError } from './operator-errors.ts';
import type { ChatStore, Clock, ConversationRecord, Realtime } from './ports.ts';
import type { QueuePlaces } from './queue-places.ts';
import type { SiteAccess } from './site-access.ts';
import type { SiteDirectory } from './site-directory.ts';
import type { TelegramChannel } from './telegram-channel.ts';
import type { TemplateService } from './template-service.ts';
import type { WebhookService } from './webhook-service.ts';

export { OperatorError } from './operator-errors.ts';

const NO_CONVERSATION = 'No such conversation';
/** The visitor's latest messages that decide the language of a system message (as the bot's replies). */
const LANGUAGE_WINDOW = 12;
/** The caller of a console event: who it is (its access is read afresh from the store). */
type Caller = Pick<OperatorProfile, 'id' | 'name'>;

export class OperatorService {
  constructor(
    private readonly deps: {
      store: ChatStore;
      chat: ChatService;
      realtime: Realtime;
      templates: TemplateService;
      webhooks: WebhookService;
      /** Telegram conversations: operators' messages, notices and the rating keyboard go to the chat. */
      telegram?: Pick<TelegramChannel, 'deliver' | 'askRating'>;
      clock: Clock;
      access: SiteAccess;
      /** Waiting visitors hear their place when a claim, resolve or hand-back moves the queue. */
      queuePlaces: Pick<QueuePlaces, 'announce'>;
      /** An operator finished a conversation: the site's waiting ones may go to it (auto-assignment). */
      onCapacityFreed?: (siteId: string) => void;
      /** The sites' settings, cached: the name visitors see on operators' messages. */
      sites?: Pick<SiteDirectory, 'byId'>;
      /** Claims, resolves, hand-backs and template edits are recorded here. */
      audit?: AuditRecorder;
    },
  ) {}

  private get audit(): AuditRecorder {
    return this.deps.audit ?? noAudit;
  }

  /** The queue and open incidents of the operator's sites (or of the one named). */
  async queue(operator: Caller, siteKey?: string): Promise<{ items: QueueItem[]; incidents: IncidentDto[] }> {
    const siteIds = siteKey === undefined ? (await this.deps.access.of(operator)).siteIds : [(await this.deps.access.site(operator, siteKey, 'member')).site.id];
    const scope = siteIds ?? undefined;
    const [items, incidents] = await Promise.all([this.deps.store.queue(scope), this.deps.store.incidents('OPEN', scope)]);
    return { items, incidents };
  }

  /** An operator says a knowledge-base answer was wrong (or takes that back): stored and counted. */
  async markAnswerWrong(conversationId: string, messageId: string, wrong: boolean, operator: Caller): Promise<MessageDto> {
    await this.conversation(conversationId, operator);
    const marked = await this.deps.store.markAnswerWrong(conversationId, messageId, wrong ? { operatorId: operator.id, at: this.deps.clock.now() } : null);
    if (!marked) throw new OperatorError('not_found', 'No such answer from the knowledge base in this conversation');
    return marked;
  }

  async claim(conversationId: string, operator: Caller): Promise<QueueItem> {
    const { store, realtime, chat } = this.deps;
    const { conversation } = await this.conversation(conversationId, operator);
    const won = await store.claim(conversationId, operator.id);
    const item = await store.queueItem(conversationId);
    if (!item) throw new OperatorError('not_found', 'No such conversation');
    if (!won) {
      if (item.ownerId === operator.id) return item;
      throw new OperatorError('already_claimed', item.ownerName ? `Already taken by ${item.ownerName}` : 'This conversation cannot be claimed');
    }
    await chat.cancelReplies(conversationId); // the bot goes silent the moment a human owns it
    realtime.status(conversationId, 'OPERATOR', item.priority);
    realtime.queueUpsert(conversation.siteId, item);
    await this.audit.record({ siteId: conversation.siteId, operator, action: 'conversation.claim', target: conversationId });
    this.deps.queuePlaces.announce(conversation.siteId, conversationId);
    // "Оператор Анна на связи": the name (and avatar) visitors may see, never the account's.
    const me = await store.getOperator(operator.id);
    const shownName = visibleOperatorName(await this.visitorOperatorName(conversation.siteId), me?.displayName);
    await this.say(conversationId, 'OPERATOR_JOINED', { operatorId: operator.id, variables: { operator_name: shownName } });
    return item;
  }

  async reply(conversationId: string, operator: Caller, text: string, clientMessageId: string): Promise<MessageDto> {
    const { store, realtime, webhooks } = this.deps;
    const conversation = await this.owned(conversationId, operator);
    const stored = await store.appendMessage(conversationId, { author: 'operator', text, clientMessageId, operatorId: operator.id, onlyIfOpen: true });
    if (!stored) throw new OperatorError('resolved', 'This conversation is resolved');
    const { message, duplicate } = stored;
    if (!duplicate) {
      realtime.typing(conversationId, 'operator', false);
      realtime.message(conversationId, message, { visitorOperatorName: await this.visitorOperatorName(conversation.siteId), widget: conversation.channel === 'WIDGET' });
      await webhooks.enqueue(conversation, message);
      await this.deps.telegram?.deliver(conversation, message);
    }
    return message;
  }

  /** Shown to the visitor; only in a conversation of the operator's sites. */
  async typing(conversationId: string, typing: boolean, operator: Caller): Promise<void> {
    await this.conversation(conversationId, operator);
    this.deps.realtime.typing(conversationId, 'operator', typing);
  }

  async resolve(conversationId: string, operator: Caller): Promise<QueueItem> {
    const { store, realtime } = this.deps;
    const { siteId } = await this.owned(conversationId, operator, { allowUnowned: true });
    await this.deps.chat.cancelReplies(conversationId);
    const conversation = await store.resolve(conversationId, this.deps.clock.now());
    if (!conversation) throw new OperatorError('resolved', 'Already resolved');
    const resolution = await this.say(conversationId, 'RESOLVED', { toChannel: false });
    await this.deps.telegram?.askRating(conversation, resolution);
    realtime.status(conversationId, 'RESOLVED', conversation.priority);
    realtime.ratingRequest(conversationId);
    realtime.queueRemove(siteId, conversationId);
    await this.audit.record({ siteId, operator, action: 'conversation.resolve', target: conversationId });
    this.deps.queuePlaces.announce(siteId, conversationId);
    this.deps.onCapacityFreed?.(siteId);
    return (await store.queueItem(conversationId))!;
  }

  async handBack(conversationId: string, operator: Caller): Promise<QueueItem> {
    const { store, realtime } = this.deps;
    const { siteId } = await this.owned(conversationId, operator, { allowUnowned: true });
    const conversation = await store.handBack(conversationId);
    if (!conversation) throw new OperatorError('resolved', 'Only a waiting or taken conversation can be handed back');
    await this.say(conversationId, 'HANDBACK');
    realtime.status(conversationId, 'BOT', conversation.priority);
    realtime.queueRemove(siteId, conversationId);
    await this.audit.record({ siteId, operator, action: 'conversation.handback', target: conversationId });
    this.deps.queuePlaces.announce(siteId, conversationId);
    this.deps.onCapacityFreed?.(siteId);
    return (await store.queueItem(conversationId))!;
  }

  /** Resolves an incident; every linked visitor receives the operator's message. */
  async resolveIncident(incidentId: string, text: string, operator: Caller): Promise<IncidentDto> {
    const { store, realtime, webhooks } = this.deps;
    const siteId = await store.incidentSite(incidentId);
    if (!siteId) throw new OperatorError('not_found', 'No open incident with this id');
    await this.deps.access.inSite(operator, siteId, 'member', 'No open incident with this id');
    const result = await store.resolveIncident(incidentId, text, this.deps.clock.now());
    if (!result) throw new OperatorError('not_found', 'No open incident with this id');
    const shownName = await this.visitorOperatorName(siteId);
    for (const conversationId of result.conversationIds) {
      const conversation = await store.getConversation(conversationId);
      if (!conversation || conversation.status === 'RESOLVED') continue;
      const stored = await store.appendMessage(conversationId, { author: 'operator', text, operatorId: operator.id, clientMessageId: `incident:${incidentId}`, onlyIfOpen: true });
      if (!stored || stored.duplicate) continue;
      const { message } = stored;
      realtime.message(conversationId, message, { visitorOperatorName: shownName, widget: conversation.channel === 'WIDGET' });
      await webhooks.enqueue(conversation, message);
      await this.deps.telegram?.deliver(conversation, message);
    }
    realtime.incidentResolved(result.siteId, result.incident);
    return result.incident;
  }

  /** The site's templates (`siteKey` absent: the operator's default site). */
  async templates(siteKey: string | undefined, operator: Caller): Promise<TemplateDto[]> {
    const { site } = await this.deps.access.site(operator, siteKey, 'member');
    return this.deps.store.templates(site.id);
  }

  async saveTemplate(siteKey: string | undefined, category: TemplateKey, locale: string, variants: string[], operator: Caller): Promise<TemplateDto> {
    const { site } = await this.deps.access.site(operator, siteKey, 'admin', 'Only admins edit templates');
    const saved = await this.deps.store.saveTemplate(site.id, category, locale, variants);
    await this.deps.templates.invalidate(site.id); // live at once, in every process
    await this.audit.record({ siteId: site.id, operator, action: 'template.save', target: `${category}/${locale}`, detail: { variants: variants.length } });
    return saved;
  }

  /** A conversation of one of the operator's sites; `not_found` for any other. */
  private async conversation(conversationId: string, operator: Caller) {
    const conversation = await this.deps.store.getConversation(conversationId);
    if (!conversation) throw new OperatorError('not_found', NO_CONVERSATION);
    const access = await this.deps.access.inSite(operator, conversation.siteId, 'member', NO_CONVERSATION);
    return { conversation, access };
  }

  /** Its owner may act in it (or anyone, while nobody owns it, with `allowUnowned`); the site's admins and owners always. */
  private async owned(conversationId: string, operator: Caller, opts: { allowUnowned?: boolean } = {}): Promise<ConversationRecord> {
    const { conversation, access } = await this.conversation(conversationId, operator);
    if (conversation.status === 'RESOLVED') throw new OperatorError('resolved', 'This conversation is resolved');
    const mine = conversation.ownerId === operator.id || (opts.allowUnowned && conversation.ownerId === null) || access.can(conversation.siteId, 'admin');
    if (!mine) throw new OperatorError('not_owner', 'Claim the conversation first');
    return conversation;
  }

  /** The site's `operatorName` (empty = the operator's own name reaches visitors). */
  private async visitorOperatorName(siteId: string): Promise<string | null> {
    const site = await this.deps.sites?.byId(siteId);
    return site?.settings?.operatorName || null;
  }

  /** A system message from a template, in the conversation's language (also to a Telegram chat unless `toChannel` is false). */
  private async say(
    conversationId: string,
    key: string,
    opts: { toChannel?: boolean; operatorId?: string; variables?: TemplateVariables } = {},
  ): Promise<MessageDto | null> {
    const { store, templates, realtime } = this.deps;
    const conversation = (await store.getConversation(conversationId))!;
    const site = await store.findSiteById(conversation.siteId);
    const recent = await store.recentVisitorMessages(conversationId, LANGUAGE_WINDOW);
    const locale = conversationLanguage(recent.map((m) => m.text), conversation.locale ?? site?.locale ?? 'ru');
    const rendered = await templates.render(conversation.siteId, [key], locale, { seed: conversationId, previousKey: null, variables: { site_name: site?.name, ...opts.variables } });
    const stored = await store.appendMessage(conversationId, { author: 'system', text: rendered.text, templateKey: rendered.templateKey, operatorId: opts.operatorId });
    if (!stored) return null;
    realtime.message(conversationId, stored.message, { widget: conversation.channel === 'WIDGET' });
    if (opts.toChannel !== false) await this.deps.telegram?.deliver(conversation, stored.message);
    return stored.message;
  }
}
