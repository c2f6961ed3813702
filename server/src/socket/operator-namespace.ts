/**
 * The `/operator` namespace: the console's connection. The JWT is checked in the handshake —
 * on every connect, including reconnects (connection-state recovery is off, so middleware
 * always runs). Operators join the queue room; a conversation room only through `open`.
 */
import { LIMITS, TEMPLATE_KEYS } from '@support-chat/protocol';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ApiKeyAdmin } from '../services/api-key-admin.ts';
import type { KnowledgeAdmin } from '../services/knowledge-admin.ts';
import { SLUG_MAX_CHARS } from '../domain/knowledge/slug.ts';
import type { OperatorAuth } from '../services/operator-auth.ts';
import { OperatorError, type OperatorService } from '../services/operator-service.ts';
import { text } from '../text-fields.ts';
import { handler, SocketError } from './safe-handler.ts';
import type { SocketRealtime } from './socket-realtime.ts';
import { rooms, type OperatorNamespace } from './typed-io.ts';

export interface OperatorNamespaceDeps {
  auth: OperatorAuth;
  operators: OperatorService;
  apiKeys: ApiKeyAdmin;
  knowledge: KnowledgeAdmin;
  realtime: SocketRealtime;
  logger: Logger;
  defaultSiteKey: string;
}

/** An article is a help-center page, not a book. */
const KNOWLEDGE_BODY_MAX_CHARS = 50_000;
const conversationRef = z.object({ conversationId: z.string().uuid('conversationId must be a uuid') });
const empty = z.undefined().or(z.null()).or(z.object({}));

/** Domain refusals reach the console as coded error acks. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OperatorError) throw new SocketError(error.code, error.message);
    throw error;
  }
}

export function registerOperatorNamespace(nsp: OperatorNamespace, deps: OperatorNamespaceDeps): void {
  const { auth, operators, logger } = deps;

  nsp.use(async (socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown })?.token;
    if (typeof token !== 'string' || token.length > 4096) return next(new Error('unauthorized: log in first'));
    const operator = await auth.authenticate(token).catch(() => null);
    if (!operator) return next(new Error('unauthorized: session expired or invalid, log in again'));
    socket.data = { operator, token };
    next();
  });

  nsp.on('connection', (socket) => {
    const me = socket.data.operator;
    socket.join(rooms.operators);
    void deps.realtime.refreshPresence();
    socket.on('disconnect', () => void deps.realtime.refreshPresence());

    socket.on('queue:list', handler(empty, logger, async () => ({ items: await operators.queue(), incidents: await operators.incidents() })));

    socket.on('conversation:open', handler(conversationRef, logger, async ({ conversationId }) => {
      const detail = await guarded(() => operators.open(conversationId));
      socket.join(rooms.watching(conversationId)); // only after the server found the conversation
      return detail;
    }));

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
      if (socket.rooms.has(rooms.watching(conversationId))) operators.typing(conversationId, typing);
      return null;
    }));

    socket.on('conversation:resolve', handler(conversationRef, logger, ({ conversationId }) => guarded(() => operators.resolve(conversationId, me))));
    socket.on('conversation:handback', handler(conversationRef, logger, ({ conversationId }) => guarded(() => operators.handBack(conversationId, me))));

    socket.on('incident:resolve', handler(z.object({ incidentId: z.string().uuid(), message: text().trim().min(1).max(LIMITS.messageMaxChars) }), logger, ({ incidentId, message }) =>
      guarded(() => operators.resolveIncident(incidentId, message, me)),
    ));

    socket.on('templates:list', handler(empty, logger, async () => ({ templates: await operators.templates(deps.defaultSiteKey) })));

    const template = z.object({
      category: z.enum(TEMPLATE_KEYS),
      locale: z.enum(['ru', 'en']),
      variants: z.array(text().trim().min(1).max(2000)).min(1).max(20),
    });
    socket.on('templates:save', handler(template, logger, ({ category, locale, variants }) =>
      guarded(() => operators.saveTemplate(deps.defaultSiteKey, category, locale, variants, me)),
    ));

    socket.on('knowledge:list', handler(empty, logger, async () => ({ articles: await guarded(() => deps.knowledge.list(deps.defaultSiteKey)) })));
    const article = z.object({
      id: z.string().uuid('id must be a uuid').optional(),
      slug: z.string().regex(new RegExp(`^[a-z0-9][a-z0-9-]{0,${SLUG_MAX_CHARS - 1}}$`), 'slug: lower-case Latin letters, digits and dashes').optional(),
      title: text().trim().min(1, 'title must not be empty').max(200),
      body: text().max(KNOWLEDGE_BODY_MAX_CHARS).refine((s) => s.trim().length > 0, 'body must not be empty'),
      url: z.string().max(2000).url('url must be an http(s) address').refine((u) => /^https?:\/\//i.test(u), 'url must be an http(s) address').nullable().optional(),
      locale: z.enum(['ru', 'en']).nullable().optional(),
      enabled: z.boolean().optional(),
    });
    socket.on('knowledge:save', handler(article, logger, (input) => guarded(() => deps.knowledge.save(deps.defaultSiteKey, input, me))));
    socket.on('knowledge:delete', handler(z.object({ id: z.string().uuid('id must be a uuid') }), logger, ({ id }) =>
      guarded(() => deps.knowledge.delete(deps.defaultSiteKey, id, me)),
    ));
    socket.on('message:mark-wrong', handler(conversationRef.extend({ messageId: z.string().uuid('messageId must be a uuid'), wrong: z.boolean() }), logger, ({ conversationId, messageId, wrong }) =>
      guarded(() => operators.markAnswerWrong(conversationId, messageId, wrong, me)),
    ));

    socket.on('apikeys:list', handler(empty, logger, async () => ({ keys: await guarded(() => deps.apiKeys.list(deps.defaultSiteKey, me)) })));
    socket.on('apikeys:create', handler(z.object({ name: text().trim().min(1, 'name the key (who uses it)').max(100) }), logger, ({ name }) =>
      guarded(() => deps.apiKeys.create(deps.defaultSiteKey, name, me)),
    ));
    socket.on('apikeys:revoke', handler(z.object({ id: z.string().uuid('id must be a uuid') }), logger, ({ id }) =>
      guarded(() => deps.apiKeys.revoke(deps.defaultSiteKey, id, me)),
    ));
  });
}
