/**
 * The visitor's side of a conversation: receive a message, then decide and plan the reply.
 * Everything that must survive a crash is in the store before anyone relies on it: the visitor
 * message is stored (undecided) before it is acked, and its decision — classification,
 * escalation, the planned reply — is written in one statement (`store.applyDecision`), so a
 * message is decided exactly once and a crash anywhere leaves it for `UndecidedRecovery`. A reply
 * due at once (no pacing) is not planned at all: that statement writes the bot message itself.
 */
import type { Classification, IncidentDto, KnowledgeSource, Priority } from '@support-chat/protocol';
import type { KnowledgeAnswer } from '../domain/knowledge/index.ts';
import { knowledgeLookup } from '../domain/knowledge/lookup.ts';
import { escalateOnRejectedAnswers } from '../domain/knowledge/rejected-answers.ts';
import { judgeInContext, type EscalationOptions } from '../domain/escalation/decide-escalation.ts';
import { conversationIntent } from '../domain/escalation/conversation-intent.ts';
import { findEmail } from '../domain/contact/find-email.ts';
import { decideReply } from '../domain/decide-reply.ts';
import { isMassOutage, type OutageOptions } from '../domain/outage/outage-window.ts';
import { planReplyTiming, type PacingOptions } from '../domain/pacing/plan-reply-timing.ts';
import { parseTemplateKey } from '../domain/templates/choose-variant.ts';
import { conversationLanguage } from '../domain/templates/conversation-language.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { OutageBreaker } from './outage-breaker.ts';
import { WorkQueue } from './work-queue.ts';
import { noProductMetrics, type ChatStore, type Classifier, type Clock, type ConversationRecord, type DecisionContext, type OutageReports, type ProductMetrics, type Realtime, type SiteRecord, type StoredMessage } from './ports.ts';
import type { QueuePlaces } from './queue-places.ts';
import type { ReplyDelivery } from './reply-delivery.ts';
import type { TemplateService } from './template-service.ts';

/** Answers a site's visitors' questions from its knowledge base (see KnowledgeService). */
export interface KnowledgeAnswers {
  /** `asking`: answer only a message that asks something (see knowledgeLookup). */
  answer(siteId: string, question: string, options?: { asking?: boolean }): Promise<KnowledgeAnswer | null>;
}

export interface ChatServiceDeps {
  store: ChatStore;
  /** Waiting visitors hear their place when an escalation moves the queue; the hand-off quotes the usual wait. */
  queuePlaces: Pick<QueuePlaces, 'announce' | 'estimateMinutes'>;
  classifier: Classifier;
  templates: TemplateService;
  knowledge: KnowledgeAnswers;
  delivery: ReplyDelivery;
  realtime: Realtime;
  outages: OutageReports;
  clock: Clock;
  pacing: PacingOptions;
  escalation: EscalationOptions;
  outage: OutageOptions;
  onError: (error: unknown, context: string) => void;
  /** A conversation just entered the operators' queue (auto-assignment may give it to someone). */
  onWaiting?: (conversationId: string) => void;
  /** Waits before re-trying a failed decision in this process; after the last, the sweep takes over. */
  retryDelaysMs?: number[];
  backpressure: BackpressureOptions;
  /** Counts decided messages, escalations and classification latency (default: not counted). */
  metrics?: ProductMetrics;
}

/**
 * How much work a burst may put on the database at once: messages being stored, decisions being
 * made. The rest waits in order; past `maxQueuedMessages` waiting to be stored, a message is
 * refused as busy (the widget re-sends it) rather than timing out inside the database pool.
 */
export interface BackpressureOptions {
  storeConcurrency: number;
  /** Decisions made in the background, after the visitor's ack (widget, Telegram, retries). */
  decideConcurrency: number;
  /** Decisions a caller is waiting on (REST answers with the reply) and Telegram's: their own slots, see `receive`. */
  answerConcurrency: number;
  maxQueuedMessages: number;
  /** Recognises "the database is down" (connection refused, timeouts): storing then fails fast for a moment. */
  isDatabaseOutage: (error: unknown) => boolean;
}

export interface IncomingMessage {
  site: SiteRecord;
  visitorExternalId: string;
  text: string;
  clientMessageId: string | null;
  channel: 'WIDGET' | 'REST' | 'TELEGRAM';
  locale?: string | null;
  platform?: string | null;
  chatId?: string | null;
  webhookUrl?: string | null;
  visitorName?: string | null;
  /** The visitor connection that sent it: it has the message from its ack, so the echo to the conversation's tabs skips it. */
  senderConnection?: string;
}

export interface StoredVisitorMessage {
  message: StoredMessage;
  conversationId: string;
  duplicate: boolean;
  /** What the decision will read, when the store could return it with the message. */
  context: DecisionContext | null;
}

export interface Outcome {
  message: StoredMessage;
  conversation: ConversationRecord;
  duplicate: boolean;
  isFirstMessage: boolean;
  classification: Classification | null;
  reply: { text: string; deliverAt: Date; sources: KnowledgeSource[] } | null;
  escalated: boolean;
  priority: Priority;
  escalationReason: string | null;
  incident: IncidentDto | null;
}

/**
 * An earlier message of the conversation is still undecided: this one must wait for it (the
 * rules read the history, and a newer reply must never be replaced by an older one's).
 */
export class DecisionDeferred extends Error {
  override name = 'DecisionDeferred';
}

/** What a decision wrote: the message's classification and the conversation's state after it. */
interface RecentDecision {
  category: string;
  confidence: number;
  status: ConversationRecord['status'];
  priority: Priority;
  escalationReason: string | null;
  /** The reply it planned (templates and when), which later decisions read as the bot's last. */
  reply: { templateKey: string; at: Date } | null;
}

/** Decisions remembered for `completed`: far more than the messages in flight at once. */
const RECENT_DECISIONS = 10_000;

/** How many of the visitor's recent messages the escalation rules look at. */
const HISTORY_FOR_RULES = 12;
const DEFAULT_RETRY_DELAYS_MS = [250, 1000, 2500];

export class ChatService {
  private readonly perConversation = new KeyedQueue();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /** This process's latest decisions by message (see `completed`), the oldest dropped first. */
  private readonly recentDecisions = new Map<string, RecentDecision>();
  private readonly storing: WorkQueue;
  private readonly deciding: WorkQueue;
  private readonly answering: WorkQueue;
  private readonly database: OutageBreaker;

  constructor(private readonly deps: ChatServiceDeps) {
    const { storeConcurrency, decideConcurrency, answerConcurrency, maxQueuedMessages, isDatabaseOutage } = deps.backpressure;
    // While the database is down, the messages queued behind the first failures are answered at
    // once (`unavailable`, the widget re-sends) instead of each waiting out its own timeout.
    this.database = new OutageBreaker({ isOutage: isDatabaseOutage, coolDownMs: 1000, clock: deps.clock });
    this.storing = new WorkQueue({ concurrency: storeConcurrency, maxQueued: maxQueuedMessages, retryAfterSeconds: 2 });
    // Decisions of accepted messages are never refused: they are bounded by what was accepted.
    this.deciding = new WorkQueue({ concurrency: decideConcurrency, maxQueued: Number.POSITIVE_INFINITY, retryAfterSeconds: 2 });
    this.answering = new WorkQueue({ concurrency: answerConcurrency, maxQueued: Number.POSITIVE_INFINITY, retryAfterSeconds: 2 });
  }

  /**
   * Stores the message (idempotent by clientMessageId). Deciding the reply is `decideSoon`.
   * `knownConversationId` (the socket's current conversation) skips the lookup on the hot path;
   * if that conversation was resolved meanwhile, the visitor gets a new one.
   */
  store(input: IncomingMessage, knownConversationId?: string | null): Promise<StoredVisitorMessage> {
    return this.storing.run(() => this.database.run(() => this.storeNow(input, knownConversationId)));
  }

  private async storeNow(input: IncomingMessage, knownConversationId?: string | null): Promise<StoredVisitorMessage> {
    const { store, realtime } = this.deps;
    // The socket's current conversation: one statement that also reads what the decision needs.
    // Otherwise (a first message, REST, Telegram, a conversation resolved meanwhile) visitor,
    // conversation and message in one statement too, which also returns the decision's reading.
    const stored: { message: StoredMessage; duplicate: boolean; context?: DecisionContext | null } =
      (knownConversationId
        ? await store.appendVisitorMessage(knownConversationId, { text: input.text, clientMessageId: input.clientMessageId }, HISTORY_FOR_RULES)
        : null) ??
      (await store.receiveVisitorMessage({
        siteId: input.site.id,
        visitorExternalId: input.visitorExternalId,
        channel: input.channel,
        text: input.text,
        clientMessageId: input.clientMessageId,
        locale: input.locale ?? null,
        platform: input.platform ?? null,
        chatId: input.chatId ?? null,
        webhookUrl: input.webhookUrl ?? null,
        visitorName: input.visitorName ?? null,
      }, HISTORY_FOR_RULES));
    const conversationId = stored.message.conversationId;
    if (!stored.duplicate) {
      realtime.message(conversationId, stored.message, { exceptVisitor: input.senderConnection, widget: input.channel === 'WIDGET' });
      // A conversation's first message is what starts it (nothing is stored for a widget only opened).
      if (stored.message.seq === 1) realtime.conversationStarted?.(input.site, conversationId);
    }
    return { message: stored.message, conversationId, duplicate: stored.duplicate, context: stored.context ?? null };
  }

  /** Store, then classify → decide → plan the reply. The REST channel waits for all of it. */
  async receive(input: IncomingMessage): Promise<Outcome> {
    const stored = await this.store(input);
    if (stored.duplicate) {
      const conversation = (await this.deps.store.getConversation(stored.conversationId))!;
      return this.describe(stored.message, conversation, true);
    }
    try {
      // The caller holds a request open for this decision, so it does not queue behind the
      // background decisions of widget visitors, who have their acks already.
      return await this.process(input.site, stored.conversationId, stored.message.id, input.locale ?? null, stored.context, this.answering);
    } catch (error) {
      // The message is stored: it will be decided (and its reply sent to the webhook) anyway.
      this.retryLater(input.site, stored.conversationId, stored.message.id, input.locale ?? null, 0);
      throw error;
    }
  }

  /**
   * Decides what happens after one visitor message; serialized per conversation. `context` is what
   * the store returned with the message; it is used only if still whole when the decision runs.
   */
  process(site: SiteRecord, conversationId: string, messageId: string, pageLocale: string | null, context?: DecisionContext | null, slots: WorkQueue = this.deciding): Promise<Outcome> {
    // The per-conversation order first, so a decision waiting for its predecessor holds no slot.
    return this.perConversation.run(conversationId, () => slots.run(() => this.decide(site, conversationId, messageId, pageLocale, context ?? null)));
  }

  /**
   * Decides a just-stored message in the background, re-trying a failure with backoff; never
   * rejects (the visitor has their ack already). After the last retry `UndecidedRecovery` has it.
   * Telegram's decisions take the answer slots, not the widget's 6: a bot's updates arrive
   * 40 at a time (its webhook's connections) and with 6 slots their decisions formed batches of
   * at most 6 (40 in flight, interleaved: 361/494 → 476/555 updates/s, 0.5-0.6 → 0.3 statements
   * and 1.3-1.9 → 1.2-1.4 ms of Postgres CPU per update).
   */
  decideSoon(site: SiteRecord, conversationId: string, messageId: string, pageLocale: string | null, context?: DecisionContext | null, channel: 'WIDGET' | 'TELEGRAM' = 'WIDGET'): void {
    this.process(site, conversationId, messageId, pageLocale, context, channel === 'TELEGRAM' ? this.answering : this.deciding).catch((error) => {
      if (!(error instanceof DecisionDeferred)) this.deps.onError(error, 'deciding a message');
      this.retryLater(site, conversationId, messageId, pageLocale, 0);
    });
  }

  private retryLater(site: SiteRecord, conversationId: string, messageId: string, pageLocale: string | null, attempt: number): void {
    const delays = this.deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    if (attempt >= delays.length) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.process(site, conversationId, messageId, pageLocale).catch(() => this.retryLater(site, conversationId, messageId, pageLocale, attempt + 1));
    }, delays[attempt]);
    timer.unref();
    this.retryTimers.add(timer);
  }

  /** Decides a message found undecided by the recovery sweep (its own site and locale). */
  async decideStored(conversationId: string, messageId: string): Promise<Outcome | null> {
    const conversation = await this.deps.store.getConversation(conversationId);
    if (!conversation) return null;
    const site = await this.deps.store.findSiteById(conversation.siteId);
    if (!site) return null;
    return this.process(site, conversationId, messageId, conversation.locale);
  }

  private async decide(site: SiteRecord, conversationId: string, messageId: string, pageLocale: string | null, prefetched: DecisionContext | null): Promise<Outcome> {
    const { store, classifier, clock } = this.deps;
    // The rules see the conversation as it was when this message arrived, not later messages of a
    // burst. What the store returned with the message still says so if every earlier message was
    // decided by then, or since by this process (decided messages do not change); otherwise it is
    // read now.
    const context = (prefetched && this.completed(prefetched)) ?? (await store.decisionContext(conversationId, messageId, HISTORY_FOR_RULES));
    if (!context) throw new Error(`message ${messageId} of conversation ${conversationId} is gone`);
    const { conversation, message, history } = context;
    if (message.category) return this.describe(message, conversation, false); // decided already
    if (history.some((m) => m.seq < message.seq && !m.category)) throw new DecisionDeferred(`message ${messageId} waits for an earlier one`);

    const classifyStarted = performance.now();
    const classified = await classifier.classify(message.text, { siteId: site.id });
    this.metrics.classification(classified.source, (performance.now() - classifyStarted) / 1000);
    // Only while the bot has the conversation: waiting visitors get no ordinary answers.
    const lookup = knowledgeLookup(classified.category);
    const answer = conversation.status === 'BOT' && lookup !== 'never' ? await this.deps.knowledge.answer(site.id, message.text, { asking: lookup === 'asking' }) : null;
    const classification: Classification = answer ? { ...classified, source: 'knowledge' } : classified;
    const asRulesSeeIt = history.map((m) =>
      m.id === message.id
        ? { text: m.text, category: classification.category, confidence: classification.confidence, answeredFromKnowledge: answer !== null }
        : { text: m.text, category: (m.category ?? 'UNKNOWN') as Classification['category'], confidence: m.confidence ?? 0, answeredFromKnowledge: m.classificationSource === 'knowledge' },
    );
    const judged = judgeInContext(asRulesSeeIt, this.deps.escalation);
    const byRules = judged.escalation;
    // The reply answers what the message is in context: a follow-up its topic, a guess below its
    // bar the clarifying question (the stored classification stays the classifier's own).
    const inContext: Classification = { ...classification, category: judged.category };
    const escalation = escalateOnRejectedAnswers(
      byRules,
      history.map((m) => ({ text: m.text, answeredFromKnowledge: m.id !== message.id && m.classificationSource === 'knowledge' })),
    );

    let incident = await this.trackOutage(site, conversation, classification);
    // While waiting, an email is what the offline escalation asked for: keep it on the visitor.
    const email = conversation.status === 'WAITING' ? findEmail(message.text) : null;
    if (email) await store.saveVisitorProfile(site.id, conversation.visitorExternalId, { email });
    const now = clock.now();
    // A visitor back after a resolved conversation is not greeted as a stranger.
    const firstContact = message.seq === 1 && !(context.visitorHadEarlierConversation ?? (await store.visitorHadEarlierConversation(conversationId)));
    const decision = decideReply({
      leftEmail: email !== null,
      status: conversation.status,
      isFirstMessage: firstContact,
      classification: inContext,
      escalation,
      openIncident: incident !== null,
      operatorsOnline: this.deps.realtime.operatorsOnline(site.id),
      knowledgeAnswer: answer !== null,
      askEmail: site.settings?.askEmailWhenOffline ?? true,
      lastBotReply: context.lastBotReplyAt
        ? { templates: templateCategories(context.lastBotTemplateKey), agoMs: now.getTime() - context.lastBotReplyAt.getTime() }
        : null,
    });

    let reply: { text: string; category: string; templateKey: string | null; sources: KnowledgeSource[]; typingAt: Date; dueAt: Date } | null = null;
    const quoted = decision.knowledge && answer ? answer : null;
    if (decision.templates.length > 0 || quoted) {
      const locale = conversationLanguage(
        history.map((m) => m.text),
        pageLocale ?? conversation.locale ?? site.locale,
      );
      // A knowledge answer after the first message has no template text: nothing to render.
      const rendered = decision.templates.length === 0 ? { text: '', templateKey: '' } : await this.deps.templates.render(site.id, decision.templates, locale, {
        seed: message.id,
        previousKey: context.lastBotTemplateKey,
        variables: {
          site_name: site.name,
          visitor_name: conversation.visitorName ?? undefined,
          visitor_email: email ?? undefined,
          // The site's real usual wait, or none (the template's fallback says "a few minutes").
          wait_estimate: decision.templates.includes('ESCALATION') ? waitEstimate(locale, await this.deps.queuePlaces.estimateMinutes(site.id)) : undefined,
        },
      });
      // A knowledge answer is the site's own words, verbatim, after any template text (the welcome).
      const text = quoted ? [rendered.text, quoted.passage].filter(Boolean).join('\n\n') : rendered.text;
      const timing = decision.immediate
        ? { typingAfterMs: 0, deliverAfterMs: 0 }
        : planReplyTiming({ text, category: inContext.category }, message.id, this.deps.pacing);
      reply = {
        text,
        category: inContext.category,
        templateKey: rendered.templateKey || null,
        sources: quoted ? [{ articleId: quoted.articleId, title: quoted.title, url: quoted.url, score: round(quoted.score) }] : [],
        typingAt: new Date(now.getTime() + timing.typingAfterMs),
        dueAt: new Date(now.getTime() + timing.deliverAfterMs),
      };
    }

    const applied = await store.applyDecision({
      conversationId,
      messageId,
      seq: message.seq,
      classification,
      escalate: decision.escalate,
      intent: conversationIntent(classification, inContext.category, decision.escalate),
      reply,
      // Once a human owns the conversation no older bot reply may go out. (While it waits, a silent
      // decision keeps the reply already planned: the handoff that tells the visitor to wait.)
      cancelIfNoReply: conversation.status === 'OPERATOR',
      at: now,
      // Due at once (no typing phase, no delay): the decision's statement writes the bot message.
      ...(reply && reply.dueAt.getTime() <= now.getTime() ? { deliverNow: this.deps.delivery.outbox() } : {}),
    });
    if (!applied.decided) {
      const again = await store.getMessage(messageId);
      if (again?.category) return this.describe(again, (await store.getConversation(conversationId)) ?? conversation, false);
      throw new DecisionDeferred(`message ${messageId} waits for an earlier one`);
    }

    // The decision is stored; now tell the people watching.
    const current: ConversationRecord = applied.escalated
      ? { ...conversation, status: applied.status, priority: applied.priority ?? conversation.priority, escalationReason: applied.escalationReason }
      : { ...conversation, status: applied.status };
    const replied = applied.replyId !== null || applied.delivered !== null;
    this.remember(messageId, classification, current, replied && reply?.templateKey ? { templateKey: reply.templateKey, at: now } : null);
    this.metrics.message(conversation.channel, classification.category);
    if (applied.escalated && current.escalationReason) this.metrics.escalation(current.escalationReason);
    if (decision.linkIncident && incident) {
      await store.linkIncident(conversationId, incident.id);
      // Operators see the incident (again, with its current count of linked conversations).
      const linked = await store.getIncident(incident.id);
      if (linked) this.deps.realtime.incidentOpened(site.id, linked, OUTAGE_BANNER);
    } else incident = null;
    if (applied.escalated) {
      this.deps.realtime.status(conversationId, current.status, current.priority);
      this.deps.queuePlaces.announce(site.id);
    }
    if (applied.escalated || email) {
      // Operators see the escalation (or the address left while waiting) in the queue at once.
      const item = await store.queueItem(conversationId);
      if (item) this.deps.realtime.queueUpsert(site.id, item);
    }
    if (applied.escalated && current.status === 'WAITING') this.deps.onWaiting?.(conversationId);
    if (applied.replyId && reply) this.deps.delivery.arm({ id: applied.replyId, conversationId, typingAt: reply.typingAt, dueAt: reply.dueAt, widget: conversation.channel === 'WIDGET' });
    else if (applied.cancelled > 0) this.deps.delivery.stopTyping(conversationId);
    // Due at once, the reply went out with the decision; the conversation as this decision left it.
    if (applied.delivered) this.deps.delivery.deliveredWithDecision({ ...applied.delivered, conversation: { ...applied.delivered.conversation, status: current.status, priority: current.priority, escalationReason: current.escalationReason } });

    return {
      message: { ...message, ...classification, classificationSource: classification.source },
      conversation: current,
      duplicate: false,
      isFirstMessage: message.seq === 1,
      classification,
      reply: replied && reply ? { text: reply.text, deliverAt: reply.dueAt, sources: reply.sources } : null,
      escalated: current.status === 'WAITING' || current.status === 'OPERATOR',
      priority: current.priority,
      escalationReason: current.escalationReason,
      incident,
    };
  }

  /**
   * The context the store returned with a message, completed from this process's own recent
   * decisions: a visitor who writes again right after the ack (before the previous message was
   * decided) needs no second read. Null when an earlier message was decided elsewhere (or not yet):
   * then the context is read afresh.
   */
  private completed(prefetched: DecisionContext): DecisionContext | null {
    let latest: RecentDecision | null = null;
    let lastBot = { lastBotTemplateKey: prefetched.lastBotTemplateKey, lastBotReplyAt: prefetched.lastBotReplyAt };
    const history: StoredMessage[] = [];
    for (const m of prefetched.history) {
      if (m.id === prefetched.message.id || m.category) {
        history.push(m);
        continue;
      }
      const decided = this.recentDecisions.get(m.id);
      if (!decided) return null;
      history.push({ ...m, category: decided.category, confidence: decided.confidence });
      latest = decided; // the history is oldest first: the last one patched is the newest state
      if (decided.reply) lastBot = { lastBotTemplateKey: decided.reply.templateKey, lastBotReplyAt: decided.reply.at };
    }
    if (!latest) return prefetched;
    const { status, priority, escalationReason } = latest;
    return { ...prefetched, ...lastBot, history, conversation: { ...prefetched.conversation, status, priority, escalationReason } };
  }

  private remember(messageId: string, classification: Classification, conversation: ConversationRecord, reply: RecentDecision['reply']): void {
    if (this.recentDecisions.size >= RECENT_DECISIONS) this.recentDecisions.delete(this.recentDecisions.keys().next().value!);
    const { category, confidence } = classification;
    const { status, priority, escalationReason } = conversation;
    this.recentDecisions.set(messageId, { category, confidence, status, priority, escalationReason, reply });
  }

  /** Counts an outage report; opens an incident when enough distinct visitors report. */
  private async trackOutage(site: SiteRecord, conversation: ConversationRecord, c: Classification): Promise<IncidentDto | null> {
    const { store, outages, clock } = this.deps;
    if (c.category !== 'OUTAGE_REPORT') return null;
    const open = await store.openIncident(site.id);
    if (open) return open;
    const reporters = await outages.record(site.id, conversation.visitorId, clock.now());
    if (!isMassOutage(reporters.length, this.deps.outage)) return null;
    // Several processes may cross the threshold together; the store keeps one OPEN incident per site.
    const incident = await store.openOrCreateIncident(site.id);
    // Everyone who reported in the window is part of the incident and hears when it is resolved.
    await store.linkVisitorsToIncident(site.id, reporters, incident.id);
    await outages.clear(site.id);
    return incident;
  }

  private get metrics(): ProductMetrics {
    return this.deps.metrics ?? noProductMetrics;
  }

  /** The bot goes silent in this conversation (an operator took over). */
  cancelReplies(conversationId: string): Promise<number> {
    return this.deps.delivery.cancel(conversationId);
  }

  /** The outcome of a message already handled (a retry): same answer as the first time. */
  async describe(message: StoredMessage, conversation: ConversationRecord, duplicate: boolean): Promise<Outcome> {
    const planned = await this.deps.store.replyFor(message.id);
    const incident = conversation.incidentId ? await this.deps.store.openIncident(conversation.siteId) : null;
    return {
      message,
      conversation,
      duplicate,
      isFirstMessage: message.seq === 1,
      classification: message.category
        ? { category: message.category as Classification['category'], confidence: message.confidence ?? 0, source: (message.classificationSource ?? 'local') as Classification['source'] }
        : null,
      reply: planned && planned.status !== 'CANCELLED' ? { text: planned.text, deliverAt: planned.dueAt, sources: planned.sources ?? [] } : null,
      escalated: conversation.status === 'WAITING' || conversation.status === 'OPERATOR',
      priority: conversation.priority,
      escalationReason: conversation.escalationReason,
      incident: incident && incident.id === conversation.incidentId ? incident : null,
    };
  }

  /** Finishes the decisions under way; pending retries are left to the recovery sweep. */
  async drain(): Promise<void> {
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    await this.perConversation.drain();
  }
}

/** "5 мин" from the site's usual wait; undefined without one. No trailing dot: templates end their own sentences. */
function waitEstimate(locale: 'ru' | 'en', minutes: number | null): string | undefined {
  if (minutes === null) return undefined;
  return locale === 'ru' ? `${minutes} мин` : `${minutes} min`;
}

/** "QUEUED:ru:0|…" → ['QUEUED', …]. */
function templateCategories(key: string | null): string[] {
  return (key ?? '').split('|').flatMap((k) => parseTemplateKey(k)?.category ?? []);
}

const OUTAGE_BANNER = {
  ru: 'Массовая авария: мы уже работаем над восстановлением связи.',
  en: 'Known outage: we are already working on restoring the service.',
};

const round = (score: number) => Math.round(score * 1000) / 1000;
