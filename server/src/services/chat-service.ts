/**
 * The visitor's side of a conversation: receive a message, decide, pace and deliver the reply.
 * Everything that must survive a crash is in the store before the caller hears "stored":
 * the visitor message (unclassified = still to decide) and then the planned reply (PENDING).
 */
import type { Classification, IncidentDto, Priority } from '@support-chat/protocol';
import { decideEscalation, type EscalationOptions } from '../domain/escalation/decide-escalation.ts';
import { findEmail } from '../domain/contact/find-email.ts';
import { decideReply } from '../domain/decide-reply.ts';
import { isMassOutage, type OutageOptions } from '../domain/outage/outage-window.ts';
import { planReplyTiming, type PacingOptions } from '../domain/pacing/plan-reply-timing.ts';
import { detectLocale } from '../domain/templates/detect-locale.ts';
import { KeyedQueue } from './keyed-queue.ts';
import type {
  ChatStore,
  Classifier,
  Clock,
  ConversationRecord,
  OutageReports,
  Realtime,
  ReplyScheduler,
  SiteRecord,
  StoredMessage,
} from './ports.ts';
import type { TemplateService } from './template-service.ts';
import type { WebhookService } from './webhook-service.ts';

export interface ChatServiceDeps {
  store: ChatStore;
  classifier: Classifier;
  templates: TemplateService;
  scheduler: ReplyScheduler;
  realtime: Realtime;
  outages: OutageReports;
  webhooks: WebhookService;
  clock: Clock;
  pacing: PacingOptions;
  escalation: EscalationOptions;
  outage: OutageOptions;
  onError: (error: unknown, context: string) => void;
}

export interface IncomingMessage {
  site: SiteRecord;
  visitorExternalId: string;
  text: string;
  clientMessageId: string | null;
  channel: 'WIDGET' | 'REST';
  locale?: string | null;
  platform?: string | null;
  chatId?: string | null;
  webhookUrl?: string | null;
}

export interface Outcome {
  message: StoredMessage;
  conversation: ConversationRecord;
  duplicate: boolean;
  isFirstMessage: boolean;
  classification: Classification | null;
  reply: { text: string; deliverAt: Date } | null;
  escalated: boolean;
  priority: Priority;
  escalationReason: string | null;
  incident: IncidentDto | null;
}

/** How many of the visitor's recent messages the escalation rules look at. */
const HISTORY_FOR_RULES = 12;

export class ChatService {
  private readonly perConversation = new KeyedQueue();
  private readonly typingTimers = new Map<string, NodeJS.Timeout>();
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: ChatServiceDeps) {
    deps.scheduler.onDue((replyId) => this.deliver(replyId));
  }

  /**
   * Stores the message (idempotent by clientMessageId). Deciding the reply is `process`.
   * `knownConversationId` (the socket's current conversation) skips the lookup on the hot path;
   * if that conversation was resolved meanwhile, the visitor gets a new one.
   */
  async store(input: IncomingMessage, knownConversationId?: string | null): Promise<{ message: StoredMessage; conversationId: string; duplicate: boolean }> {
    const { store, realtime } = this.deps;
    const visitorMessage = { author: 'visitor' as const, text: input.text, clientMessageId: input.clientMessageId, onlyIfOpen: true };
    let conversationId = knownConversationId ?? null;
    let stored = conversationId ? await store.appendMessage(conversationId, visitorMessage) : null;
    if (!stored) {
      const conversation = await store.openConversation({
        siteId: input.site.id,
        visitorExternalId: input.visitorExternalId,
        channel: input.channel,
        locale: input.locale ?? null,
        platform: input.platform ?? null,
        chatId: input.chatId ?? null,
        webhookUrl: input.webhookUrl ?? null,
      });
      conversationId = conversation.id;
      stored = await store.appendMessage(conversation.id, visitorMessage);
      if (!stored) throw new Error('a just-opened conversation refused a message');
    }
    if (!stored.duplicate) realtime.message(conversationId!, stored.message);
    return { message: stored.message, conversationId: conversationId!, duplicate: stored.duplicate };
  }

  /** Store, then classify → decide → plan the reply. The REST channel waits for all of it. */
  async receive(input: IncomingMessage): Promise<Outcome> {
    const stored = await this.store(input);
    if (stored.duplicate) {
      const conversation = (await this.deps.store.getConversation(stored.conversationId))!;
      return this.describe(stored.message, conversation, true);
    }
    return this.process(input.site, stored.conversationId, stored.message.id, input.locale ?? null);
  }

  /** Decides what happens after one visitor message; serialized per conversation. */
  process(site: SiteRecord, conversationId: string, messageId: string, pageLocale: string | null): Promise<Outcome> {
    return this.perConversation.run(conversationId, () => this.decide(site, conversationId, messageId, pageLocale));
  }

  private async decide(site: SiteRecord, conversationId: string, messageId: string, pageLocale: string | null): Promise<Outcome> {
    const { store, classifier, clock } = this.deps;
    let conversation = (await store.getConversation(conversationId))!;
    const message = (await store.getMessage(messageId))!;
    if (message.category) return this.describe(message, conversation, false); // decided before a restart

    const classification = await classifier.classify(message.text);
    // Already decided before a crash, only the classification was not saved: don't answer twice.
    if (await store.replyFor(message.id)) {
      await store.setClassification(message.id, classification);
      return this.describe({ ...message, category: classification.category }, conversation, false);
    }

    // The rules see the conversation as it was when this message arrived, not later messages of a burst.
    const history = await store.recentVisitorMessages(conversationId, HISTORY_FOR_RULES, message.seq);
    const escalation = decideEscalation(
      history.map((m) =>
        m.id === message.id
          ? { text: m.text, category: classification.category, confidence: classification.confidence }
          : { text: m.text, category: (m.category ?? 'UNKNOWN') as Classification['category'], confidence: m.confidence ?? 0 },
      ),
      this.deps.escalation,
    );

    let incident = await this.trackOutage(site, conversation, classification);
    // While waiting, an email is what the offline escalation asked for: keep it on the visitor.
    const email = conversation.status === 'WAITING' ? findEmail(message.text) : null;
    if (email) await store.saveVisitorProfile(site.id, conversation.visitorExternalId, { email });
    const decision = decideReply({
      leftEmail: email !== null,
      status: conversation.status,
      isFirstMessage: message.seq === 1,
      classification,
      escalation,
      openIncident: incident !== null,
      operatorsOnline: this.deps.realtime.operatorsOnline(),
    });

    const now = clock.now();
    if (decision.linkIncident && incident) {
      await store.linkIncident(conversationId, incident.id);
      // Operators see the incident (again, with its current count of linked conversations).
      const current = await store.getIncident(incident.id);
      if (current) this.deps.realtime.incidentOpened(site.id, current, OUTAGE_BANNER);
    } else incident = null;

    let escalated = false;
    if (email && !decision.escalate) {
      // Operators see the address in the queue at once.
      const item = await store.queueItem(conversationId);
      if (item) this.deps.realtime.queueUpsert(item);
    }
    if (decision.escalate) {
      escalated = true;
      conversation =
        conversation.status === 'WAITING'
          ? await store.setPriority(conversationId, decision.escalate.priority, decision.escalate.reason)
          : await store.escalate(conversationId, decision.escalate.priority, decision.escalate.reason, now);
      this.deps.realtime.status(conversationId, conversation.status, conversation.priority);
      const item = await store.queueItem(conversationId);
      if (item) this.deps.realtime.queueUpsert(item);
    }

    let reply: Outcome['reply'] = null;
    if (decision.templates.length > 0) {
      const locale = detectLocale(message.text, pageLocale ?? conversation.locale ?? site.locale);
      const rendered = await this.deps.templates.render(site.id, decision.templates, locale, {
        seed: message.id,
        previousKey: await store.lastBotTemplateKey(conversationId),
        variables: {
          site_name: site.name,
          visitor_name: conversation.visitorName ?? undefined,
          visitor_email: email ?? undefined,
          wait_estimate: waitEstimate(locale, this.deps.realtime.operatorsOnline()),
        },
      });
      const timing = decision.immediate
        ? { typingAfterMs: 0, deliverAfterMs: 0 }
        : planReplyTiming({ text: rendered.text, category: classification.category }, message.id, this.deps.pacing);
      const dueAt = new Date(now.getTime() + timing.deliverAfterMs);
      const planned = await store.planReply(conversationId, {
        text: rendered.text,
        category: classification.category,
        templateKey: rendered.templateKey,
        typingAt: new Date(now.getTime() + timing.typingAfterMs),
        dueAt,
        inReplyTo: message.id,
      });
      if (planned) {
        await this.arm(planned.reply.id, conversationId, planned.reply.typingAt, dueAt);
        reply = { text: rendered.text, deliverAt: dueAt };
      }
    } else if (conversation.status === 'OPERATOR' || conversation.status === 'WAITING') {
      // A burst that ends in escalation or a takeover must not leave an older bot reply behind.
      if ((await store.cancelPendingReplies(conversationId)).length > 0) this.stopTyping(conversationId);
    }

    // Saved last: an unclassified message is one still to decide, so a crash anywhere above
    // leaves it for `recover()` (and the replyFor check above keeps that from answering twice).
    await store.setClassification(message.id, classification);
    return {
      message: { ...message, ...classification, classificationSource: classification.source },
      conversation,
      duplicate: false,
      isFirstMessage: message.seq === 1,
      classification,
      reply,
      escalated: escalated || conversation.status === 'WAITING',
      priority: conversation.priority,
      escalationReason: conversation.escalationReason,
      incident,
    };
  }

  /** Counts an outage report; opens an incident when enough distinct visitors report. */
  private async trackOutage(site: SiteRecord, conversation: ConversationRecord, c: Classification): Promise<IncidentDto | null> {
    const { store, outages, clock } = this.deps;
    const open = await store.openIncident(site.id);
    if (c.category !== 'OUTAGE_REPORT') return null;
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

  /** Schedules delivery and the (ephemeral) typing indicator of a planned reply. */
  private async arm(replyId: string, conversationId: string, typingAt: Date, dueAt: Date): Promise<void> {
    this.stopTyping(conversationId, false);
    const untilTyping = typingAt.getTime() - this.deps.clock.now().getTime();
    if (dueAt.getTime() > typingAt.getTime()) {
      const timer = setTimeout(() => this.deps.realtime.typing(conversationId, 'bot', true), Math.max(0, untilTyping));
      this.typingTimers.set(conversationId, timer);
    }
    await this.deps.scheduler.schedule(replyId, dueAt);
  }

  private stopTyping(conversationId: string, notify = true): void {
    const timer = this.typingTimers.get(conversationId);
    if (timer) {
      clearTimeout(timer);
      this.typingTimers.delete(conversationId);
    }
    if (notify) this.deps.realtime.typing(conversationId, 'bot', false);
  }

  /** Delivers a due reply exactly once; called by the scheduler. */
  async deliver(replyId: string): Promise<void> {
    const delivered = await this.deps.store.deliverReply(replyId, this.deps.clock.now());
    if (!delivered) return; // cancelled, or another process delivered it
    const { message, conversation } = delivered;
    this.stopTyping(conversation.id);
    this.deps.realtime.message(conversation.id, message);
    if (conversation.webhookUrl) await this.deps.webhooks.enqueue(conversation, message);
  }

  /** Cancels the bot's planned replies (an operator took over). */
  async cancelReplies(conversationId: string): Promise<number> {
    const cancelled = await this.deps.store.cancelPendingReplies(conversationId);
    this.stopTyping(conversationId);
    return cancelled.length;
  }

  /**
   * At start: deliver replies that fell due while the server was down, re-arm the others, and
   * decide messages stored just before a crash. Overdue replies are delivered here rather than
   * handed to the scheduler: a BullMQ job the dead process had taken would otherwise sit
   * "active" until BullMQ declares it stalled (30 s+). The store's PENDING → DELIVERED gate
   * keeps that exactly-once.
   */
  async recover(): Promise<{ rescheduled: number; delivered: number; redecided: number }> {
    const { store, clock } = this.deps;
    const pending = await store.pendingReplies();
    let delivered = 0;
    for (const reply of pending) {
      if (reply.dueAt.getTime() <= clock.now().getTime()) {
        await this.deliver(reply.id).catch((e) => this.deps.onError(e, 'recover'));
        delivered++;
      } else {
        await this.arm(reply.id, reply.conversationId, reply.typingAt, reply.dueAt);
      }
    }
    const unprocessed = await store.unprocessedVisitorMessages(1000);
    let redecided = 0;
    for (const { conversationId, messageId } of unprocessed) {
      const conversation = await store.getConversation(conversationId);
      if (!conversation) continue;
      const site = await this.siteOf(conversation);
      if (!site) continue;
      await this.process(site, conversationId, messageId, conversation.locale).catch((e) => this.deps.onError(e, 'recover'));
      redecided++;
    }
    return { rescheduled: pending.length - delivered, delivered, redecided };
  }

  /**
   * A safety net while running: replies overdue by more than `graceMs` (a lost timer, a job that
   * failed all its attempts while the database was down) are delivered by a periodic sweep.
   */
  startOverdueSweep(intervalMs = 5000, graceMs = 5000): void {
    this.sweepTimer ??= setInterval(() => void this.sweepOverdue(graceMs), intervalMs);
    this.sweepTimer.unref();
  }

  async sweepOverdue(graceMs: number): Promise<number> {
    const overdue = await this.deps.store.pendingReplies(new Date(this.deps.clock.now().getTime() - graceMs));
    for (const reply of overdue) await this.deliver(reply.id).catch((e) => this.deps.onError(e, 'overdue sweep'));
    return overdue.length;
  }

  private siteOf(conversation: ConversationRecord): Promise<SiteRecord | null> {
    return this.deps.store.findSiteById(conversation.siteId);
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
      reply: planned && planned.status !== 'CANCELLED' ? { text: planned.text, deliverAt: planned.dueAt } : null,
      escalated: conversation.status === 'WAITING' || conversation.status === 'OPERATOR',
      priority: conversation.priority,
      escalationReason: conversation.escalationReason,
      incident: incident && incident.id === conversation.incidentId ? incident : null,
    };
  }

  async drain(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.perConversation.drain();
    for (const t of this.typingTimers.values()) clearTimeout(t);
    this.typingTimers.clear();
  }
}

function waitEstimate(locale: 'ru' | 'en', online: number): string {
  const minutes = Math.max(2, Math.ceil(10 / Math.max(1, online)));
  // No trailing dot: templates end their own sentences.
  return locale === 'ru' ? `${minutes} мин` : `${minutes} min`;
}

const OUTAGE_BANNER = {
  ru: 'Массовая авария: мы уже работаем над восстановлением связи.',
  en: 'Known outage: we are already working on restoring the service.',
};
