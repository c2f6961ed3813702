/**
 * The `/visitor` namespace: the widget's connection. The handshake names the site and the
 * visitor; it is refused for an unknown site or an origin the site does not allow. A visitor
 * socket only ever joins its own rooms, so it can only see its own conversation.
 *
 * Identity: an anonymous visitor is its widget's random `visitorId`. A handshake with an identity
 * the site signed (visitor-identity.ts) is the visitor `user:<userId>` instead — the same
 * conversation on every device; a bad signature is refused (`invalid_identity`), never silently
 * anonymous, so the site's developer sees it.
 */
import { LIMITS, type MessageDto, type VisitorHandshakeRefusal, type VisitorSession } from '@support-chat/protocol';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ChatService } from '../services/chat-service.ts';
import type { SiteDirectory } from '../services/site-directory.ts';
import { visibleOperatorName } from '../domain/operators/public-profile.ts';
import type { ChatStore, Realtime, SiteRecord, StoredMessage, VisibleMessage } from '../services/ports.ts';
import type { QueuePlaces } from '../services/queue-places.ts';
import { seq, text } from '../text-fields.ts';
import { handshakeClientIp, type ProxyTrust } from './client-ip.ts';
import { handshakeOrigin } from './handshake-origin.ts';
import { checkIdentity } from './visitor-identity.ts';
import type { VisitorGuards } from './rate-limit-guard.ts';
import { handler, SocketError } from './safe-handler.ts';
import { rooms, type VisitorNamespace, type VisitorSocket } from './typed-io.ts';

export interface VisitorDeps {
  store: ChatStore;
  sites: SiteDirectory;
  chat: ChatService;
  realtime: Realtime;
  /** A waiting visitor's place in the queue, for the session. */
  queuePlaces: Pick<QueuePlaces, 'placeOf'>;
  logger: Logger;
  /** Spent before a handshake (per IP), a message (per visitor and per IP), a profile update (per visitor), a typing event (per socket). */
  limits: VisitorGuards;
  /** Whether X-Forwarded-For names the client (TRUST_PROXY). */
  proxyTrust: ProxyTrust;
}

/** Both fields optional; an empty name or email clears nothing (a page that does not know says nothing). */
const profileSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'name must not be empty')
      .max(LIMITS.visitorNameMaxChars)
      // It is filled into bot replies ({{visitor_name}}): no template syntax, markup or control characters.
      .regex(/^[^{}<>\p{Cc}]+$/u, 'name has characters that are not allowed')
      .optional(),
    email: z.email('email is not a valid address').max(LIMITS.visitorEmailMaxChars).optional(),
  })
  .strict();

const auth = z.object({
  siteKey: text().trim().min(1, 'siteKey is required').max(LIMITS.siteKeyMaxChars),
  visitorId: z.string().trim().min(8, 'visitorId is too short').max(LIMITS.visitorIdMaxChars).regex(/^[\w-]+$/, 'visitorId has invalid characters'),
  conversationId: text().max(100).nullish(),
  lastSeq: seq().optional(),
  locale: text().max(20).optional(),
  // A page's bad profile must not cost the visitor the chat: it is dropped (and logged) instead.
  profile: z.unknown().optional(),
  // Checked on its own, so a malformed one is `invalid_identity` like a forged one.
  identity: z.unknown().optional(),
});

const identitySchema = z
  .object({
    userId: text()
      .trim()
      .min(1, 'identity.userId is required')
      .max(LIMITS.visitorIdMaxChars)
      .regex(/^[^\p{Cc}]+$/u, 'identity.userId has control characters'),
    signature: z.string().min(1, 'identity.signature is required').max(2048),
    name: z.unknown().optional(),
    email: z.unknown().optional(),
  })
  .strict();

/** The visitor key of a verified user: widget ids are `[\w-]+` and REST ones `rest:…`, so it names no one else. */
const userVisitorId = (userId: string) => `user:${userId}`;

const sendPayload = z.object({
  clientMessageId: text().trim().min(1).max(LIMITS.clientMessageIdMaxChars),
  text: text()
    .max(LIMITS.messageMaxChars, `message is longer than ${LIMITS.messageMaxChars} characters`)
    .refine((s) => s.trim().length > 0, 'message must not be empty'),
});

// Built once here, not per connection: a zod schema is a few dozen objects, and every idle socket would keep its own.
const historySince = z.object({ afterSeq: seq() });
const typingPayload = z.object({ typing: z.boolean() });
const ratingPayload = z.object({ rating: z.number().int().min(1).max(5) });

/**
 * Exact origin match; a site with no origins listed accepts any browser origin. No Origin = not
 * a browser (a script or a native app): never allowed here — only a site that allows originless
 * clients takes them, and then only with a verified identity (see the handshake).
 */
export function originAllowed(allowed: readonly string[], origin: string | undefined): boolean {
  if (!origin) return false;
  return allowed.length === 0 || allowed.includes(origin);
}

/**
 * A refused handshake: the client's `connect_error` gets `message` (`<code>: <reason>`, for
 * people) and `data.code`, for the widget to tell a refusal from a network failure (which has no
 * data) and to stop retrying where the site will not have it.
 */
function refused(code: string, reason: string): Error {
  const data: VisitorHandshakeRefusal = { code };
  return Object.assign(new Error(`${code}: ${reason}`), { data });
}

/** The given fields of `o` that are set. */
function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<Pick<T, K>>;
}

/** A message as the console gets it: operators see each other's real names. */
export function toDto(m: StoredMessage | MessageDto): MessageDto {
  return {
    id: m.id,
    conversationId: m.conversationId,
    seq: m.seq,
    author: m.author,
    text: m.text,
    clientMessageId: m.clientMessageId,
    createdAt: m.createdAt,
    category: m.category,
    operatorName: m.operatorName ?? null,
    ...(m.avatarUrl ? { avatarUrl: m.avatarUrl } : {}),
    ...(m.sources?.length ? { sources: m.sources } : {}),
  };
}

/**
 * A message as a widget gets it: an operator is the site's team name (its `operatorName`
 * setting), else their display name, else nobody in particular — never their account's name.
 */
export function toVisitorDto(m: VisibleMessage, teamName: string | null): MessageDto {
  return { ...toDto(m), operatorName: m.author === 'operator' ? visibleOperatorName(teamName, m.operatorDisplayName) : null };
}

export function registerVisitorNamespace(nsp: VisitorNamespace, deps: VisitorDeps): void {
  const { store, chat, logger } = deps;

  nsp.use(async (socket, next) => {
    const ip = handshakeClientIp(socket.handshake, deps.proxyTrust);
    try {
      try {
        await deps.limits.handshakes(ip);
      } catch (error) {
        if (error instanceof SocketError) return next(refused(error.code, error.message));
        throw error;
      }
      const parsed = auth.safeParse(socket.handshake.auth);
      if (!parsed.success) return next(refused('invalid_handshake', parsed.error.issues[0]!.message));
      const site = await deps.sites.byKey(parsed.data.siteKey);
      if (!site) return next(refused('unknown_site', `no site with key "${parsed.data.siteKey}"`));
      if (site.enabled === false) return next(refused('site_disabled', `the chat of site "${site.key}" is turned off (an owner turns it on in the console)`));
      const origin = handshakeOrigin(socket.handshake, deps.proxyTrust);
      if (origin === undefined) {
        if (!site.allowOriginless) return next(refused('origin_required', 'this site takes widget connections from its web pages only (no Origin header was sent)'));
      } else if (!originAllowed(site.allowedOrigins, origin)) {
        return next(refused('origin_not_allowed', `${origin} may not open this site's chat`));
      }
      let user: z.infer<typeof identitySchema> | null = null;
      if (parsed.data.identity !== undefined) {
        const identity = identitySchema.safeParse(parsed.data.identity);
        const refusal = !identity.success
          ? identity.error.issues[0]!.message
          : !site.identitySecret
            ? 'this site has no identity secret yet (pnpm identity:secret --site KEY)'
            : await checkIdentity(site.identitySecret, identity.data.userId, identity.data.signature).then((c) => (c.ok ? null : c.reason));
        if (refusal) {
          logger.warn({ site: site.key, ip, problem: refusal }, 'visitor identity refused');
          return next(refused('invalid_identity', refusal));
        }
        user = identity.data!;
      }
      // Originless clients (native apps) have no page the site vouches for: the identity is their only credential.
      if (origin === undefined && !user) return next(refused('identity_required', 'a client without an Origin must identify a user signed by the site'));
      const visitorId = user ? userVisitorId(user.userId) : parsed.data.visitorId;
      socket.data = { site, visitorId, verified: user !== null, ip, locale: parsed.data.locale ?? null, conversationId: null };
      const claimed = user ? { ...(parsed.data.profile as object | undefined), ...pick(user, ['name', 'email']) } : parsed.data.profile;
      if (claimed !== undefined) {
        const profile = profileSchema.safeParse(claimed);
        if (!profile.success) logger.warn({ site: site.key, ip, problem: profile.error.issues[0]!.message }, 'visitor profile in the handshake ignored');
        // Where identities are required, an anonymous visitor's name and email are claims anyone could make.
        else if (site.requireVerifiedIdentity && !user) logger.info({ site: site.key, ip }, 'unverified visitor profile ignored (the site requires verified identities)');
        else await store.saveVisitorProfile(site.id, visitorId, profile.data);
      }
      next();
    } catch (error) {
      logger.error({ err: error, ip }, 'visitor handshake failed');
      next(refused('unavailable', 'please retry'));
    }
  });

  nsp.on('connection', async (socket: VisitorSocket) => {
    // Socket.IO's memory guidance: the HTTP request of the handshake is kept for the connection's
    // life otherwise. Everything needed from it (headers, origin, address) is in `socket.handshake`
    // and `socket.data` by now.
    (socket.conn as unknown as { request: unknown }).request = null;
    const { site, visitorId } = socket.data;
    socket.join([rooms.visitor(site.id, visitorId), rooms.site(site.id)]);

    socket.on('message:send', handler(sendPayload, logger, async ({ clientMessageId, text }) => {
      await deps.limits.messages(`${site.id}:${visitorId}`, socket.data.ip);
      const { message, conversationId, duplicate, context } = await chat.store(
        { site, visitorExternalId: visitorId, text, clientMessageId, channel: 'WIDGET', locale: socket.data.locale, senderConnection: socket.id },
        socket.data.conversationId,
      );
      if (socket.data.conversationId !== conversationId) {
        socket.data.conversationId = conversationId;
        // Every tab of this visitor (on any server process) follows the new conversation.
        nsp.in(rooms.visitor(site.id, visitorId)).socketsJoin(rooms.conversation(conversationId));
      }
      // A retry of a message still undecided (its first attempt failed) is decided now too.
      // The bot follows the site's settings as they are now (the cached directory), not as they were at the handshake.
      if (!duplicate || !message.category) chat.decideSoon((await deps.sites.byKey(site.key)) ?? site, conversationId, message.id, socket.data.locale, context);
      return { id: message.id, seq: message.seq, conversationId, createdAt: message.createdAt, duplicate };
    }));

    socket.on('history:since', handler(historySince, logger, async ({ afterSeq }) => {
      const conversationId = socket.data.conversationId;
      if (!conversationId) return { messages: [] };
      const shownName = await visitorOperatorName(deps, site);
      return { messages: (await store.messagesAfter(conversationId, afterSeq, 500)).map((m) => toVisitorDto(m, shownName)) };
    }));

    socket.on('typing', handler(typingPayload, logger, async ({ typing }) => {
      await deps.limits.typing(socket.id);
      if (socket.data.conversationId) deps.realtime.visitorTyping?.(socket.data.conversationId, typing);
      return null;
    }));

    socket.on('visitor:profile', handler(profileSchema, logger, async (profile) => {
      if (site.requireVerifiedIdentity && !socket.data.verified) {
        throw new SocketError('identity_required', "This site takes a visitor's name or email only with a verified identity (SupportChat('identify', …))");
      }
      // Each update is a write and a push to operators: a page calling setVisitor in a loop is cut off.
      await deps.limits.profileUpdates(`${site.id}:${visitorId}`);
      await store.saveVisitorProfile(site.id, visitorId, profile);
      // Operators looking at the queue see the name at once.
      const conversation = await store.findCurrentConversation(site.id, visitorId);
      if (conversation?.status === 'WAITING' || conversation?.status === 'OPERATOR') {
        const item = await store.queueItem(conversation.id);
        if (item) deps.realtime.queueUpsert(site.id, item);
      }
      return profile;
    }));

    socket.on('rating:submit', handler(ratingPayload, logger, async ({ rating }) => {
      const conversation = await store.findCurrentConversation(site.id, visitorId);
      if (!conversation || conversation.status !== 'RESOLVED') throw new SocketError('not_resolved', 'Only a closed conversation can be rated');
      await store.rate(conversation.id, rating);
      return { rating };
    }));

    try {
      await sendSession(socket, deps);
    } catch (error) {
      logger.error({ err: error }, 'sending the visitor session failed');
    }
  });
}

/** On every (re)connect: the session, then the messages the widget has not shown yet — one read. */
async function sendSession(socket: VisitorSocket, deps: VisitorDeps): Promise<void> {
  const { site, visitorId } = socket.data;
  const { conversationId: knownId, lastSeq } = socket.handshake.auth as { conversationId?: string | null; lastSeq?: number };
  const { conversation, messages, incident } = await deps.store.visitorSession(site.id, visitorId, { conversationId: knownId ?? null, afterSeq: lastSeq ?? 0 }, 500);
  const session: VisitorSession = {
    conversationId: conversation?.id ?? null,
    status: conversation?.status ?? 'BOT',
    operatorsOnline: deps.realtime.operatorsOnline(site.id),
    incident: incident ? { id: incident.id, kind: 'MASS_OUTAGE', status: incident.status, text: bannerText(socket.data.locale ?? site.locale) } : null,
    queue: conversation?.status === 'WAITING' ? await deps.queuePlaces.placeOf(site.id, conversation.id) : null,
  };
  socket.emit('session', session);
  if (conversation) {
    socket.data.conversationId = conversation.id;
    socket.join(rooms.conversation(conversation.id));
  }
  const shownName = await visitorOperatorName(deps, site);
  socket.emit('history', { messages: messages.map((m) => toVisitorDto(m, shownName)) });
}

/** The site's `operatorName` as it is now: the directory's cached copy (a change reaches open widgets within its TTL). */
async function visitorOperatorName(deps: VisitorDeps, site: SiteRecord): Promise<string | null> {
  const current = (await deps.sites.byKey(site.key)) ?? site;
  return current.settings?.operatorName || null;
}

export function bannerText(locale: string): string {
  return locale.startsWith('en')
    ? 'Known outage: we are already working on restoring the service.'
    : 'Массовая авария: мы уже работаем над восстановлением связи.';
}
