/**
 * The REST channel (seed 001): `POST /api/messages/` for platforms other than the widget.
 * The reply comes back in the response (with its `deliver_at`) and, when `X-Webhook-URL`
 * is given, is POSTed there at that time. The caller proves its site with an API key
 * (`rest-auth.ts`); its `client_id`s live in their own identity space (`rest-identity.ts`).
 */
import Router from '@koa/router';
import { LIMITS } from '@support-chat/protocol';
import { z } from 'zod';
import { text } from '../../text-fields.ts';
import { restVisitorId } from '../../domain/rest-identity.ts';
import { HttpError } from '../errors.ts';
import { restAuthenticator } from '../rest-auth.ts';
import { rateLimit } from '../rate-limit.ts';
import type { AppDeps } from '../app.ts';

const body = z.object({
  client_id: text().trim().min(1, 'client_id is required').max(LIMITS.visitorIdMaxChars),
  content: text({ message: 'content must be a string' })
    .max(LIMITS.messageMaxChars, `content is longer than ${LIMITS.messageMaxChars} characters`)
    .refine((s) => s.trim().length > 0, 'content must not be empty'),
  client_message_id: text().trim().min(1).max(LIMITS.clientMessageIdMaxChars).optional(),
});

const header = (max: number) => z.string().trim().min(1).max(max).optional();
const headers = z.object({
  'x-platform': header(50),
  'x-chat-id': header(200),
  'x-webhook-url': header(2000),
  'x-site-key': header(LIMITS.siteKeyMaxChars),
});

export function messageRoutes(deps: AppDeps): Router {
  const router = new Router();
  const limits = deps.config.RATE_LIMIT_ENABLED
    ? [rateLimit({ rules: [{ limit: deps.rateLimits.restPerMinute }, { limit: deps.rateLimits.restPerHour }], message: 'Too many requests, slow down' })]
    : [];

  const authenticate = restAuthenticator({
    apiKeys: deps.apiKeys,
    sites: deps.sites,
    logger: deps.logger,
    demoSiteKey: deps.config.DEFAULT_SITE_KEY,
    production: deps.config.NODE_ENV === 'production',
  });

  router.post(['/api/messages', '/api/messages/'], ...limits, async (ctx) => {
    if (!ctx.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'Send the message as application/json');
    const parsedBody = body.safeParse(ctx.request.body ?? {});
    if (!parsedBody.success) throw new HttpError(422, 'validation_error', describe(parsedBody.error));
    const parsedHeaders = headers.safeParse(ctx.headers);
    if (!parsedHeaders.success) throw new HttpError(422, 'validation_error', describe(parsedHeaders.error));
    const h = parsedHeaders.data;

    const site = await authenticate(ctx, h['x-site-key']);

    const webhookUrl = h['x-webhook-url'] ?? null;
    if (webhookUrl) {
      const refusal = deps.webhookPolicy.check(webhookUrl);
      if (refusal) throw new HttpError(422, 'webhook_not_allowed', refusal);
    }

    const { client_id, content, client_message_id } = parsedBody.data;
    const platform = h['x-platform'] ?? 'api';
    const outcome = await deps.chat.receive({
      site,
      visitorExternalId: restVisitorId(platform, client_id),
      text: content,
      clientMessageId: client_message_id ?? null,
      channel: 'REST',
      platform,
      chatId: h['x-chat-id'] ?? client_id,
      webhookUrl,
    });

    ctx.body = {
      message_id: outcome.message.id,
      conversation_id: outcome.conversation.id,
      is_first_message: outcome.isFirstMessage,
      duplicate: outcome.duplicate,
      classification: outcome.classification,
      response: outcome.reply
        ? { text: outcome.reply.text, deliver_at: outcome.reply.deliverAt.toISOString(), sources: outcome.reply.sources.map((s) => ({ article_id: s.articleId, title: s.title, url: s.url, score: s.score })) }
        : null,
      escalated: outcome.escalated,
      priority: outcome.priority,
      escalation_reason: outcome.escalationReason,
      incident: outcome.incident ? { id: outcome.incident.id, kind: outcome.incident.kind, status: outcome.incident.status } : null,
    };
  });

  return router;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const field = issue.path.join('.');
  return field && !issue.message.includes(field) ? `${field}: ${issue.message}` : issue.message;
}
