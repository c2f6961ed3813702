/**
 * The `/operator` namespace: the console's connection. The JWT is checked in the handshake —
 * on every connect, including reconnects (connection-state recovery is off, so middleware
 * always runs). A console joins the operator rooms of its sites (owners: the owners' room, which
 * hears every site), and a conversation room only through `open`. Who may do what is decided by
 * the services (SiteAccess), not here: this layer validates payloads and maps refusals to acks.
 */
import { CANNED_LIMITS, CATEGORIES, INBOX_LIMITS, INBOX_VIEWS, LIMITS, MAX_CONVERSATIONS_LIMIT, NOTE_MAX_CHARS, TEMPLATE_KEYS, type OperatorProfile } from '@support-chat/protocol';
import type { Logger } from 'pino';
import { z } from 'zod';
import { operatorProfilePatch } from '../domain/operators/public-profile.ts';
import type { AddNote } from '../services/add-note.ts';
import type { ApiKeyAdmin } from '../services/api-key-admin.ts';
import type { Inbox } from '../services/inbox.ts';
import type { AutoAssign } from '../services/auto-assign.ts';
import type { CannedResponsesAdmin } from '../services/canned-responses.ts';
import type { AuditTrail } from '../services/audit-trail.ts';
import type { SiteAnalytics } from '../services/site-analytics.ts';
import type { ConversationExport } from '../services/conversation-export.ts';
import type { VisitorErasure } from '../services/visitor-erasure.ts';
import type { SetAvailability } from '../services/set-availability.ts';
import type { Team } from '../services/team.ts';
import type { TransferConversation } from '../services/transfer-conversation.ts';
import type { KnowledgeAdmin } from '../services/knowledge-admin.ts';
import { SLUG_MAX_CHARS } from '../domain/knowledge/slug.ts';
import { allowedOrigins, siteLocale, siteName } from '../domain/sites/site-fields.ts';
import { widgetSettingsPatch } from '../domain/sites/widget-settings.ts';
import type { OperatorAuth } from '../services/operator-auth.ts';
import { OperatorError, type OperatorService } from '../services/operator-service.ts';
import type { SiteAdmin } from '../services/site-admin.ts';
import type { TelegramAdmin } from '../services/telegram-admin.ts';
import type { MembershipRecord } from '../services/ports.ts';
import { seq, text } from '../text-fields.ts';
import { handler, SocketError } from './safe-handler.ts';
import type { SocketRealtime } from './socket-realtime.ts';
import { rooms, type OperatorNamespace, type OperatorSocket } from './typed-io.ts';

export interface OperatorNamespaceDeps {
  auth: OperatorAuth;
  operators: OperatorService;
  inbox: Inbox;
  addNote: AddNote;
  canned: CannedResponsesAdmin;
  transfer: TransferConversation;
  team: Team;
  availability: SetAvailability;
  autoAssign: Pick<AutoAssign, 'site' | 'later'>;
  apiKeys: ApiKeyAdmin;
  knowledge: KnowledgeAdmin;
  sites: SiteAdmin;
  telegram: TelegramAdmin;
  realtime: SocketRealtime;
  logger: Logger;
  transcripts: ConversationExport;
  erasure: VisitorErasure;
  audit: AuditTrail;
  analytics: SiteAnalytics;
}

type Session = NonNullable<Awaited<ReturnType<OperatorAuth['session']>>>;

/** An article is a help-center page, not a book. */
const KNOWLEDGE_BODY_MAX_CHARS = 50_000;
const conversationRef = z.object({ conversationId: z.string().uuid('conversationId must be a uuid') });
const siteKey = text().trim().min(1, 'siteKey must not be empty').max(LIMITS.siteKeyMaxChars);
/** `{ siteKey? }`: which site an event acts on (absent: the operator's default site). */
const scope = z.object({ siteKey: siteKey.optional() });
/** A read that may name its site, or send nothing at all. */
const scopeOrNothing = z.undefined().or(z.null()).or(scope.strict()).transform((p) => p?.siteKey ?? undefined);
/** What narrows an inbox list or search, and which page of it. */
const inboxFilters = scope.extend({
  priority: z.enum(['NORMAL', 'HIGH']).optional(),
  intent: z.enum(CATEGORIES).optional(),
  channel: z.enum(['WIDGET', 'REST', 'TELEGRAM']).optional(),
  cursor: z.string().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(INBOX_LIMITS.maxPageSize).optional(),
});
const inboxList = inboxFilters.extend({ view: z.enum(INBOX_VIEWS) }).strict();
const inboxSearch = inboxFilters
  .extend({ query: text().trim().min(1, 'type something to search for').max(INBOX_LIMITS.searchMaxChars) })
  .strict();

/** Domain refusals reach the console as coded error acks. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OperatorError) throw new SocketError(error.code, error.message);
    throw error;
  }
}

const sitesOf = (memberships: readonly MembershipRecord[]) => memberships.map((m) => ({ id: m.siteId, key: m.siteKey }));

/** The rooms a console belongs in for its operator's current role and sites. */
function roomsFor(operator: OperatorProfile, sites: readonly { id: string }[]): string[] {
  return [rooms.operator(operator.id), ...(operator.role === 'owner' ? [rooms.owners] : []), ...sites.map((site) => rooms.siteOperators(site.id))];
}

/**
 * Brings a console's rooms and data in line with its operator's current access: joins the rooms of
 * sites it was added to, leaves those it lost (and, having lost any, every conversation it was
 * watching: it opens them again if it still may). Tells the console when its profile changed.
 */
export function syncOperatorRooms(socket: OperatorSocket, session: Session, realtime?: Pick<SocketRealtime, 'refreshPresence'>): void {
  const sites = sitesOf(session.memberships);
  const wanted = new Set(roomsFor(session.operator, sites));
  const had = [...socket.rooms].filter((room) => room === rooms.owners || room.startsWith('o:'));
  const lost = had.filter((room) => !wanted.has(room));
  for (const room of lost) socket.leave(room);
  if (lost.length > 0) for (const room of [...socket.rooms]) if (room.startsWith('w:')) socket.leave(room);
  socket.join([...wanted]);
  const before = JSON.stringify(socket.data.operator);
  socket.data.operator = session.operator;
  socket.data.sites = sites;
  if (JSON.stringify(session.operator) !== before) {
    socket.emit('operator:profile', session.operator);
    void realtime?.refreshPresence();
  }
}

export function registerOperatorNamespace(nsp: OperatorNamespace, deps: OperatorNamespaceDeps): void {
  const { auth, operators, logger } = deps;

  nsp.use(async (socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown })?.token;
    if (typeof token !== 'string' || token.length > 4096) return next(new Error('unauthorized: log in first'));
    const session = await auth.session(token).catch(() => null);
    if (!session) return next(new Error('unauthorized: session expired or invalid, log in again'));
    socket.data = { operator: session.operator, token, sites: sitesOf(session.memberships) };
    next();
  });

  // Someone changed an operator's memberships (here, or on another process): its consoles here follow.
  const resync = async (operatorId: string) => {
    for (const socket of nsp.sockets.values()) {
      if (socket.data.operator?.id !== operatorId) continue;
      const session = await auth.session(socket.data.token).catch((error: unknown) => {
        logger.warn({ err: error }, 'operator rooms re-sync failed; the periodic session re-check retries');
        return undefined;
      });
      if (session === null) socket.disconnect(true);
      else if (session) syncOperatorRooms(socket, session, deps.realtime);
    }
  };
  deps.realtime.onOperatorAccess((operatorId) => void resync(operatorId));
  nsp.on('operator:access', (operatorId) => void resync(operatorId));

  nsp.on('connection', (socket) => {
    const me = socket.data.operator;
    socket.join(roomsFor(me, socket.data.sites));
    void deps.realtime.refreshPresence().then(() => {
      for (const presence of deps.realtime.presenceFor(socket.data)) socket.emit('operators:online', presence);
      // Counted online now: its sites' waiting conversations may go to it.
      for (const site of socket.data.sites) deps.autoAssign.later(() => deps.autoAssign.site(site.id));
    });
    socket.on('disconnect', () => void deps.realtime.refreshPresence());

    socket.on('queue:list', handler(scopeOrNothing, logger, (siteKey) => guarded(() => operators.queue(me, siteKey))));
    socket.on('operator:profile:update', handler(operatorProfilePatch, logger, (patch) =>
      guarded(async () => {
        const updated = await auth.updateProfile(me.id, patch);
        socket.data.operator = updated;
        return updated;
      }),
    ));

    socket.on('inbox:list', handler(inboxList, logger, (input) => guarded(() => deps.inbox.list(me, input))));
    socket.on('inbox:search', handler(inboxSearch, logger, (input) => guarded(() => deps.inbox.search(me, input))));

    socket.on('conversation:open', handler(conversationRef, logger, async ({ conversationId }) => {
      const detail = await guarded(() => deps.inbox.open(conversationId, me));
      socket.join(rooms.watching(conversationId)); // only after the server found the conversation in the operator's sites
      return detail;
    }));

    socket.on('conversation:earlier', handler(conversationRef.extend({ beforeSeq: seq() }).strict(), logger, ({ conversationId, beforeSeq }) =>
      guarded(() => deps.inbox.earlier(conversationId, beforeSeq, me)),
    ));

    socket.on('conversation:claim', handler(conversationRef, logger, async ({ conversationId }) => {
      const item = await guarded(() => operators.claim(conversationId, me));
      socket.join(rooms.watching(conversationId));
      return item;
    }));

    const reply = conversationRef.extend({
      text: text().max(LIMITS.messageMaxChars).refine((s) => s.trim().length > 0, 'message must not be empty'),
      clientMessageId: text().min(1).max(LIMITS.clientMessageIdMaxChars),
    });
    socket.on('conversation:reply', handler(reply, logger, ({ conversationId, text, clientMessageId }) =>
      guarded(() => operators.reply(conversationId, me, text, clientMessageId)),
    ));

    socket.on('conversation:typing', handler(conversationRef.extend({ typing: z.boolean() }), logger, async ({ conversationId, typing }) => {
      // Only in a conversation this console opened; the service checks the site again.
      if (socket.rooms.has(rooms.watching(conversationId))) await guarded(() => operators.typing(conversationId, typing, me));
      return null;
    }));

    const note = conversationRef.extend({ text: text().max(NOTE_MAX_CHARS).refine((s) => s.trim().length > 0, 'note must not be empty') });
    socket.on('conversation:note', handler(note, logger, ({ conversationId, text }) => guarded(() => deps.addNote.run(conversationId, text.trim(), me))));

    socket.on('conversation:resolve', handler(conversationRef, logger, ({ conversationId }) => guarded(() => operators.resolve(conversationId, me))));
    socket.on('conversation:transfer', handler(conversationRef.extend({ operatorId: z.string().uuid('operatorId must be a uuid') }), logger, async ({ conversationId, operatorId }) =>
      guarded(() => deps.transfer.run(conversationId, operatorId, me)),
    ));
    socket.on('team:list', handler(scopeOrNothing, logger, (siteKey) => guarded(() => deps.team.list(siteKey, me))));
    socket.on('team:auto-assign', handler(scope.extend({ enabled: z.boolean() }).strict(), logger, ({ siteKey, enabled }) => guarded(() => deps.team.setAutoAssign(siteKey, enabled, me))));
    const availability = z
      .object({ availability: z.enum(['online', 'away']).optional(), maxConversations: z.number().int().min(1).max(MAX_CONVERSATIONS_LIMIT).optional() })
      .strict()
      .refine((p) => p.availability !== undefined || p.maxConversations !== undefined, 'send availability or maxConversations');
    socket.on('operator:availability', handler(availability, logger, (changes) => guarded(() => deps.availability.run(me, changes))));
    socket.on('conversation:handback', handler(conversationRef, logger, ({ conversationId }) => guarded(() => operators.handBack(conversationId, me))));

    socket.on('incident:resolve', handler(z.object({ incidentId: z.string().uuid(), message: text().trim().min(1).max(LIMITS.messageMaxChars) }), logger, ({ incidentId, message }) =>
      guarded(() => operators.resolveIncident(incidentId, message, me)),
    ));

    socket.on('templates:list', handler(scopeOrNothing, logger, async (siteKey) => ({ templates: await guarded(() => operators.templates(siteKey, me)) })));

    const template = scope.extend({
      category: z.enum(TEMPLATE_KEYS),
      locale: z.enum(['ru', 'en']),
      variants: z.array(text().trim().min(1).max(2000)).min(1).max(20),
    });
    socket.on('templates:save', handler(template, logger, ({ siteKey, category, locale, variants }) =>
      guarded(() => operators.saveTemplate(siteKey, category, locale, variants, me)),
    ));

    socket.on('knowledge:list', handler(scopeOrNothing, logger, async (siteKey) => ({ articles: await guarded(() => deps.knowledge.list(siteKey, me)) })));
    const article = scope.extend({
      id: z.string().uuid('id must be a uuid').optional(),
      slug: z.string().regex(new RegExp(`^[a-z0-9][a-z0-9-]{0,${SLUG_MAX_CHARS - 1}}$`), 'slug: lower-case Latin letters, digits and dashes').optional(),
      title: text().trim().min(1, 'title must not be empty').max(200),
      body: text().max(KNOWLEDGE_BODY_MAX_CHARS).refine((s) => s.trim().length > 0, 'body must not be empty'),
      url: z.string().max(2000).url('url must be an http(s) address').refine((u) => /^https?:\/\//i.test(u), 'url must be an http(s) address').nullable().optional(),
      locale: z.enum(['ru', 'en']).nullable().optional(),
      enabled: z.boolean().optional(),
    });
    socket.on('knowledge:save', handler(article, logger, ({ siteKey, ...input }) => guarded(() => deps.knowledge.save(siteKey, input, me))));
    socket.on('knowledge:delete', handler(scope.extend({ id: z.string().uuid('id must be a uuid') }), logger, ({ siteKey, id }) =>
      guarded(() => deps.knowledge.delete(siteKey, id, me)),
    ));
    socket.on('canned:list', handler(scopeOrNothing, logger, async (siteKey) => ({ responses: await guarded(() => deps.canned.list(siteKey, me)) })));
    const canned = scope
      .extend({
        id: z.string().uuid('id must be a uuid').optional(),
        shortcut: z.string().trim().regex(new RegExp(`^[\\p{L}\\p{N}_-]{1,${CANNED_LIMITS.shortcutMaxChars}}$`, 'u'), 'shortcut: letters, digits, - and _ (what follows /)'),
        text: text().max(CANNED_LIMITS.textMaxChars).refine((s) => s.trim().length > 0, 'text must not be empty'),
      })
      .strict();
    socket.on('canned:save', handler(canned, logger, (input) => guarded(() => deps.canned.save(input, me))));
    socket.on('canned:delete', handler(scope.extend({ id: z.string().uuid('id must be a uuid') }), logger, ({ siteKey, id }) => guarded(() => deps.canned.delete(siteKey, id, me))));
    socket.on('message:mark-wrong', handler(conversationRef.extend({ messageId: z.string().uuid('messageId must be a uuid'), wrong: z.boolean() }), logger, ({ conversationId, messageId, wrong }) =>
      guarded(() => operators.markAnswerWrong(conversationId, messageId, wrong, me)),
    ));

    socket.on('apikeys:list', handler(scopeOrNothing, logger, async (siteKey) => ({ keys: await guarded(() => deps.apiKeys.list(siteKey, me)) })));
    socket.on('apikeys:create', handler(scope.extend({ name: text().trim().min(1, 'name the key (who uses it)').max(100) }), logger, ({ siteKey, name }) =>
      guarded(() => deps.apiKeys.create(siteKey, name, me)),
    ));
    socket.on('apikeys:revoke', handler(scope.extend({ id: z.string().uuid('id must be a uuid') }), logger, ({ siteKey, id }) =>
      guarded(() => deps.apiKeys.revoke(siteKey, id, me)),
    ));

    socket.on('sites:list', handler(z.undefined().or(z.null()).or(z.object({}).strict()), logger, async () => ({ sites: await guarded(() => deps.sites.list(me)) })));
    const newSite = z.object({ name: siteName, allowedOrigins, locale: siteLocale }).strict();
    socket.on('sites:create', handler(newSite, logger, (input) => guarded(() => deps.sites.create(input, me))));
    const siteChange = z
      .object({ siteKey, name: siteName.optional(), allowedOrigins: allowedOrigins.optional(), locale: siteLocale.optional(), enabled: z.boolean().optional(), settings: widgetSettingsPatch.optional() })
      .strict();
    socket.on('sites:update', handler(siteChange, logger, (input) => guarded(() => deps.sites.update(input, me))));

    socket.on('telegram:get', handler(scopeOrNothing, logger, (siteKey) => guarded(() => deps.telegram.get(siteKey, me))));
    const telegramChange = scope
      .extend({
        // BotFather's tokens: `<bot id>:<35 characters>`.
        botToken: z.string().trim().regex(/^\d{1,20}:[\w-]{20,100}$/, 'botToken: not a bot token (123456789:AA…)').nullable().optional(),
        enabled: z.boolean().optional(),
      })
      .strict();
    socket.on('telegram:update', handler(telegramChange, logger, (input) => guarded(() => deps.telegram.update(input, me))));

    socket.on('members:list', handler(scopeOrNothing, logger, async (siteKey) => ({ members: await guarded(() => deps.sites.members(siteKey, me)) })));
    const member = scope
      .extend({
        email: z.email('email is not a valid address').max(LIMITS.visitorEmailMaxChars),
        role: z.enum(['admin', 'operator']),
        name: text().trim().min(1).max(100).regex(/^[^\p{Cc}]*$/u, 'name must not contain control characters').optional(),
        password: z.string().min(8, 'password: at least 8 characters').max(200).optional(),
      })
      .strict();
    socket.on('members:add', handler(member, logger, (input) => guarded(() => deps.sites.addMember(input, me))));
    socket.on('members:remove', handler(scope.extend({ operatorId: z.string().uuid('operatorId must be a uuid') }), logger, ({ siteKey, operatorId }) =>
      guarded(() => deps.sites.removeMember(siteKey, operatorId, me)),
    ));

    socket.on('conversation:export', handler(conversationRef.extend({ format: z.enum(['json', 'text']) }).strict(), logger, ({ conversationId, format }) =>
      guarded(() => deps.transcripts.export(conversationId, format, me)),
    ));
    socket.on('visitor:erase', handler(conversationRef.strict(), logger, ({ conversationId }) => guarded(() => deps.erasure.erase(conversationId, me))));
    socket.on('audit:list', handler(scope.extend({ before: z.iso.datetime({ offset: true }).optional() }).strict(), logger, async ({ siteKey, before }) => ({
      entries: await guarded(() => deps.audit.list(siteKey, before ? new Date(before) : undefined, me)),
    })));
    const period = scope.extend({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }), timeZone: z.string().max(64).optional() }).strict();
    socket.on('analytics:get', handler(period, logger, (query) => guarded(() => deps.analytics.get(query, me))));
  });
}
