/**
 * The composition root: opens the database and Redis, builds adapters and services, mounts HTTP
 * and Socket.IO on one server. The only file that wires real things. `startServer` is what the
 * process entry (main.ts) runs, and what integration tests and benchmarks start (on port 0).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from './config.ts';
import { createLogger } from './logger.ts';
import { loopbackAliases } from './loopback-origins.ts';
import { openDatabase, type Database } from './adapters/db/database.ts';
import type { EmbeddedDatabase } from './adapters/db/embedded.ts';
import { isDatabaseUnavailable } from './adapters/db/unavailable.ts';
import { PrismaStore } from './adapters/db/prisma-store.ts';
import { MemoryCache, MemoryOutageReports } from './adapters/cache/memory-cache.ts';
import { RedisCache, RedisOutageReports } from './adapters/cache/redis-cache.ts';
import { createRateLimits } from './adapters/rate-limit/rate-limits.ts';
import { systemClock } from './adapters/clock.ts';
import type { Clock } from './services/ports.ts';
import { failureCounters } from './adapters/metrics/failure-counters.ts';
import { productMetrics } from './adapters/metrics/product-metrics.ts';
import { createClassifier } from './adapters/classifier/create-classifier.ts';
import { createKnowledgeRephraser } from './adapters/knowledge/openai-rephraser.ts';
import { HttpWebhookSender, WebhookHostPolicy } from './adapters/webhook/http-webhook-sender.ts';
import { SiteWebhookSecrets } from './adapters/webhook/site-webhook-secrets.ts';
import { argon2Hasher } from './adapters/auth/argon2-hasher.ts';
import { jwtSigner } from './adapters/auth/jwt-signer.ts';
import { PrismaApiKeys } from './adapters/auth/prisma-api-keys.ts';
import { DEFAULT_TEMPLATES } from './domain/templates/default-templates.ts';
import { ChatService } from './services/chat-service.ts';
import { QueuePlaces } from './services/queue-places.ts';
import { TemplateService } from './services/template-service.ts';
import { WebhookService } from './services/webhook-service.ts';
import { OperatorService } from './services/operator-service.ts';
import { OperatorAuth } from './services/operator-auth.ts';
import { ApiKeyAdmin } from './services/api-key-admin.ts';
import { KnowledgeAdmin } from './services/knowledge-admin.ts';
import { KnowledgeService } from './services/knowledge-service.ts';
import { PrismaKnowledgeArticles } from './adapters/db/prisma-knowledge.ts';
import { PrismaInbox } from './adapters/db/prisma-inbox.ts';
import { Inbox } from './services/inbox.ts';
import { PrismaSites } from './adapters/db/prisma-sites.ts';
import { PrismaConversationNotes } from './adapters/db/prisma-notes.ts';
import { AddNote } from './services/add-note.ts';
import { PrismaCannedResponses } from './adapters/db/prisma-canned-responses.ts';
import { CannedResponsesAdmin } from './services/canned-responses.ts';
import { PrismaAssignments } from './adapters/db/prisma-assignment.ts';
import { AutoAssign } from './services/auto-assign.ts';
import { TransferConversation } from './services/transfer-conversation.ts';
import { Team } from './services/team.ts';
import { SetAvailability } from './services/set-availability.ts';
import { SiteAccess } from './services/site-access.ts';
import { SiteAdmin } from './services/site-admin.ts';
import { AuditTrail } from './services/audit-trail.ts';
import { ConversationExport } from './services/conversation-export.ts';
import { VisitorErasure } from './services/visitor-erasure.ts';
import { PrismaAuditLog } from './adapters/db/prisma-audit-log.ts';
import { PrismaVisitorData } from './adapters/db/prisma-visitor-data.ts';
import { PrismaAnalytics } from './adapters/db/prisma-analytics.ts';
import { SiteAnalytics } from './services/site-analytics.ts';
import { widgetSettingsRoutes } from './http/routes/widget-settings.ts';
import { syncOperatorRooms } from './socket/operator-namespace.ts';
import { readArticleFolder } from './adapters/knowledge/article-folder.ts';
import { ReplyDelivery } from './services/reply-delivery.ts';
import { UndecidedRecovery } from './services/undecided-recovery.ts';
import { Retention } from './services/retention.ts';
import { SiteDirectory } from './services/site-directory.ts';
import { createApp } from './http/app.ts';
import { operatorLoginRoutes } from './http/routes/operator-login.ts';
import { operatorLogoutRoutes } from './http/routes/operator-logout.ts';
import { createIo } from './socket/create-io.ts';
import { visitorGuards } from './socket/rate-limit-guard.ts';
import { revokedSessionSweep } from './socket/revoked-session-sweep.ts';
import type { OperatorNamespace } from './socket/typed-io.ts';
import { SocketRealtime } from './socket/socket-realtime.ts';
import { BotApi } from './adapters/telegram/bot-api.ts';
import { TokenCipher } from './adapters/telegram/token-cipher.ts';
import { PrismaTelegram } from './adapters/db/prisma-telegram.ts';
import { TelegramOutbox } from './services/telegram-outbox.ts';
import { TelegramChannel } from './services/telegram-channel.ts';
import { TelegramBots } from './services/telegram-bots.ts';
import { TelegramAdmin } from './services/telegram-admin.ts';
import { telegramWebhookRoutes } from './http/routes/telegram-webhook.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_SITE_KEY = 'demo';

export interface StartOptions {
  logger?: Logger;
  /** PGlite in memory instead of DATA_DIR (tests). */
  inMemory?: boolean;
  /** Where the embedded PGlite runs (default: its own worker thread); the embedded bench compares. */
  pgliteThread?: 'worker' | 'main';
  /** The embedded database, already being opened by the process entry (main.ts); else opened here. */
  embedded?: Promise<EmbeddedDatabase>;
  /** Redis key prefix / BullMQ queue name, so parallel test runs do not share state. */
  namespace?: string;
  /** The services' time (default: the system's); a test moves it forward instead of waiting. */
  clock?: Clock;
}

export interface RunningServer {
  url: string;
  config: Readonly<Config>;
  http: HttpServer;
  services: { assignments: PrismaAssignments; chat: ChatService; operators: OperatorService; auth: OperatorAuth; store: PrismaStore; sites: PrismaSites; webhookSecrets: SiteWebhookSecrets; apiKeys: PrismaApiKeys; notes: PrismaConversationNotes };
  /** The database itself, for tests that inspect every table (erasure) and benches that seed. */
  prisma: Database['prisma'];
  close(): Promise<void>;
}

export async function startServer(config: Readonly<Config>, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config);
  if (config.generatedSecret) logger.warn('SECRET_KEY is not set: generated a random one for this run (operator sessions end on restart)');
  const ns = options.namespace ?? config.REDIS_PREFIX;
  const clock = options.clock ?? systemClock;

  // Opened while the rest is built: on the embedded database, loading the classifier (CPU on this
  // thread) overlaps PGlite opening in its worker.
  const opening = openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    inMemory: options.inMemory ?? false,
    pgliteThread: options.pgliteThread,
    ...(options.embedded ? { embedded: options.embedded } : {}),
    log: config.DATABASE_ECHO,
    onConnectionError: (err) => logger.warn({ err: err.message }, 'a database connection broke; the pool replaces it'),
  });
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const failures = failureCounters(metrics);
  const product = productMetrics(metrics);

  // Loaded only with REDIS_URL: the embedded mode's start does not spend ~0.3 s loading ioredis.
  const redisModules = config.REDIS_URL
    ? await Promise.all([import('./adapters/redis/connect-redis.ts'), import('./socket/outage-tolerant-redis-adapter.ts')])
    : null;
  // Not awaited: the server starts (degraded) while Redis is down and attaches when it returns.
  const redisLink = config.REDIS_URL && redisModules ? redisModules[0].connectRedis(config.REDIS_URL, { logger, countFailure: (operation) => failures.dependency('redis', operation) }) : null;
  if (!redisLink) logger.info('REDIS_URL not set: cache, rate limits and presence are in memory (single process)');
  const redis = redisLink?.client ?? null;

  const cache = redisLink ? new RedisCache(redisLink.client, `${ns}:cache:`, redisLink.failed) : new MemoryCache(clock);
  const rateLimits = createRateLimits({
    redis,
    prefix: ns,
    restPerMinute: config.RATE_LIMIT_PER_MINUTE,
    restPerHour: config.RATE_LIMIT_PER_HOUR,
    visitorMessagesPerMinute: config.RATE_LIMIT_MESSAGE_PER_MINUTE,
    ipMessagesPerMinute: config.RATE_LIMIT_IP_MESSAGE_PER_MINUTE,
    llmCallsPerSitePerHour: config.LLM_CALLS_PER_SITE_PER_HOUR,
  });
  const outageOptions = { threshold: config.MASS_OUTAGE_THRESHOLD, windowMs: config.MASS_OUTAGE_WINDOW_MINUTES * 60_000 };
  const outages = redisLink ? new RedisOutageReports(redisLink.client, outageOptions.windowMs, `${ns}:outage:`, redisLink.failed) : new MemoryOutageReports(outageOptions);
  const onError = (error: unknown, context: string) => {
    failures.background(context);
    logger.error({ err: error, context }, 'background task failed');
  };
  // A spent budget answers false; a limiter that fails answers from its in-memory insurance.
  const spendLlmBudget = (siteId: string) => rateLimits.llmCalls.consume(siteId).then(() => true, (refusal: unknown) => (refusal instanceof Error ? Promise.reject(refusal) : false));
  const classifier = createClassifier({ config, cache, logger, spendLlmBudget });
  const db = await opening.catch(async (error: unknown) => {
    await redisLink?.close();
    throw error;
  });
  logger.info({ database: db.kind, migrationsApplied: db.applied }, 'database ready');
  const store = new PrismaStore(db.prisma, db.statements);

  const webhookPolicy = new WebhookHostPolicy(config.WEBHOOK_ALLOWED_HOSTS);
  const webhookSecrets = new SiteWebhookSecrets(db.prisma);
  const webhooks = new WebhookService(store, new HttpWebhookSender(webhookPolicy, config.WEBHOOK_TIMEOUT_SECONDS * 1000), webhookSecrets, clock, { maxAttempts: config.WEBHOOK_MAX_ATTEMPTS, baseBackoffMs: 1000, attemptTimeoutMs: config.WEBHOOK_TIMEOUT_SECONDS * 1000 }, onError, {
    metrics: product,
    onFailure: ({ retryAt, ...failure }) =>
      logger.warn({ ...failure, url: webhookOrigin(failure.url), retryAt: retryAt?.toISOString() ?? null }, retryAt ? 'webhook delivery failed; will retry' : 'webhook delivery failed; giving up'),
  });
  const realtime = new SocketRealtime({ onError, onRecovered: (context) => logger.info({ context }, 'background task works again') });
  const templates = new TemplateService(store, clock, config.TEMPLATE_CACHE_TTL_SECONDS, cache);
  const articles = new PrismaKnowledgeArticles(db.prisma);
  // KNOWLEDGE_LLM with a key: answers may be rephrased, from the same per-site LLM budget.
  const knowledge = new KnowledgeService({ articles, versions: cache, clock, rephrase: createKnowledgeRephraser({ config, logger, spendLlmBudget }) });
  const sites = new SiteDirectory({ store, clock, versions: cache });

  // Telegram: bots per site (console) or the demo site's from the environment; calls go through
  // the durable outbox; updates enter the same pipeline as the widget's (see TelegramChannel).
  const telegramStore = new PrismaTelegram(db.prisma, db.statements);
  const tokenCipher = new TokenCipher(config.SECRET_KEY);
  const botApi = new BotApi({ baseUrl: config.TELEGRAM_API_BASE, timeoutMs: 10_000 });
  const telegramLog = logger.child({ channel: 'telegram' });
  const telegramMode = config.TELEGRAM_MODE === 'auto' ? (config.PUBLIC_URL.startsWith('https://') ? 'webhook' : 'polling') : config.TELEGRAM_MODE;
  const telegramBots: TelegramBots = new TelegramBots({
    store: telegramStore,
    sites,
    open: (sealed) => tokenCipher.open(sealed),
    api: botApi,
    channel: () => telegram,
    clock,
    log: telegramLog,
    onError,
    options: {
      mode: telegramMode,
      publicUrl: config.PUBLIC_URL,
      secretKey: config.SECRET_KEY,
      pollTimeoutSeconds: config.TELEGRAM_POLL_TIMEOUT_SECONDS,
      refreshMs: 5000,
      envBot: config.TELEGRAM_BOT_TOKEN
        ? { siteKey: DEMO_SITE_KEY, token: config.TELEGRAM_BOT_TOKEN, enabled: config.TELEGRAM_ENABLED ?? true, webhookSecret: config.TELEGRAM_WEBHOOK_SECRET ?? null }
        : null,
    },
  });
  const tokenFor = (siteId: string) => telegramBots.tokenFor(siteId);
  const telegramOutbox = new TelegramOutbox({
    store: telegramStore,
    api: botApi,
    tokenFor,
    clock,
    onError,
    options: { maxAttempts: config.WEBHOOK_MAX_ATTEMPTS, baseBackoffMs: 1000, attemptTimeoutMs: 10_000 },
    onBlocked: (conversationId) => telegramLog.info({ conversationId }, 'telegram: the user blocked the bot; nothing more is sent to this chat'),
  });
  // The channel and the chat service need each other: the channel hands messages in, the chat's delivery hands replies out.
  const telegram: TelegramChannel = new TelegramChannel({
    chat: { store: (input) => chat.store(input), decideSoon: (...args) => chat.decideSoon(...args) },
    store,
    telegram: telegramStore,
    outbox: telegramOutbox,
    templates,
    api: botApi,
    tokenFor,
    log: telegramLog,
    onError,
  });

  const delivery = new ReplyDelivery({ store, realtime, webhooks, telegram, clock, onError, metrics: product });
  const queuePlaces = new QueuePlaces({ store, realtime, clock, onError });
  const assignments = new PrismaAssignments(db.prisma);
  const autoAssign = new AutoAssign({ assignments, store, realtime, cancelReplies: (id) => delivery.cancel(id), clock, onError });
  const sweepSite = (siteId: string) => autoAssign.later(() => autoAssign.site(siteId));
  const chat: ChatService = new ChatService({
    store,
    queuePlaces,
    classifier: classifier.classifier,
    templates,
    knowledge,
    delivery,
    realtime,
    outages,
    clock,
    onError,
    onWaiting: (conversationId) => autoAssign.later(() => autoAssign.conversation(conversationId)),
    pacing: {
      enabled: config.DELAYS_ENABLED,
      responseDelayMs: config.RESPONSE_DELAY_SECONDS * 1000,
      farewellDelayMs: config.FAREWELL_DELAY_SECONDS * 1000,
      deliveryDelayMs: config.MESSAGE_DELIVERY_DELAY_SECONDS * 1000,
      charsPerSecond: config.TYPING_CHARS_PER_SECOND,
      maxTypingMs: config.TYPING_MAX_SECONDS * 1000,
      jitter: config.PACING_JITTER,
    },
    escalation: {
      repeatThreshold: config.ESCALATION_REPEAT_THRESHOLD,
      lowConfidenceStreak: config.LOW_CONFIDENCE_STREAK,
      confidenceThreshold: 0.5,
    },
    outage: outageOptions,
    metrics: product,
    // Messages being stored at once. They share statements (adapters/db/statement-batches.ts: two
    // in flight per kind, the rest form the next batch), so this bounds batch size, not connections:
    // decisions, deliveries and the console always find one. Measured with
    // 50 busy visitors on a quiet 2-core machine (delays on): 12 → 32 took batches of ~4 to ~16 and
    // throughput 449–527 → 751–824 msgs/s, server CPU 1.33–1.65 → 0.90–1.04 ms per message.
    // Decisions share statements the same way; REST callers, who wait for theirs, have 32 slots of
    // their own (with the widget's 6 shared, REST batches held at most 6: 0.29–0.45× → 0.52–0.62×
    // the floor's requests/s; 64 measured no better than 32).
    backpressure: { storeConcurrency: 32, decideConcurrency: 6, answerConcurrency: 32, maxQueuedMessages: config.MAX_QUEUED_MESSAGES, isDatabaseOutage: isDatabaseUnavailable },
  });
  const auth = new OperatorAuth(store, argon2Hasher, jwtSigner(config.SECRET_KEY, config.OPERATOR_TOKEN_TTL_MINUTES));
  const siteStore = new PrismaSites(db.prisma);
  const access = new SiteAccess({ store, defaultSiteKey: DEMO_SITE_KEY, oldestSite: async () => (await siteStore.list())[0] ?? null });
  const audit = new AuditTrail({ log: new PrismaAuditLog(db.prisma), access, onError });
  const operators = new OperatorService({ store, chat, realtime, templates, webhooks, telegram, clock, access, sites, audit, queuePlaces, onCapacityFreed: sweepSite });
  const notes = new PrismaConversationNotes(db.prisma);
  const inbox = new Inbox({ repo: new PrismaInbox(db.prisma), store, access, notes });

  // Seed: the demo site (its origins follow the config until an admin changes them in the console)
  // with default templates, and the first owner. Its widget settings are the console's alone.
  // A loopback PUBLIC_URL is opened as localhost or 127.0.0.1 alike: both names of its port are its own.
  const demo = await siteStore.seed({
    key: DEMO_SITE_KEY,
    name: 'СеверНет',
    locale: 'ru',
    allowedOrigins: [...new Set([...loopbackAliases(config.PUBLIC_URL), ...config.ALLOWED_ORIGINS])],
  });
  await store.seedTemplates(demo.id, DEFAULT_TEMPLATES);
  if (config.KNOWLEDGE_DEMO_ARTICLES && (await articles.list(demo.id)).length === 0) {
    // `pnpm start` answers from the demo provider's help center at once.
    const folder = await readArticleFolder(path.join(ROOT, 'demo-site', 'knowledge'));
    await articles.replaceAll(demo.id, folder.articles);
  }
  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
    const existing = await store.findOperatorByEmail(config.ADMIN_EMAIL);
    if (!existing) await auth.upsert({ email: config.ADMIN_EMAIL, name: 'Admin', role: 'owner', password: config.ADMIN_PASSWORD });
  }

  const siteAdmin = new SiteAdmin({ sites: siteStore, store, access, directory: sites, realtime, hasher: argon2Hasher, clock, publicUrl: config.PUBLIC_URL, audit });
  const erasure = new VisitorErasure({ store, data: new PrismaVisitorData(db.prisma), access, audit, realtime, cancelReplies: (id) => chat.cancelReplies(id) });
  const apiKeys = new PrismaApiKeys(db.prisma, clock, onError);
  const app = createApp({
    config: { ...config, DEFAULT_SITE_KEY: DEMO_SITE_KEY },
    store,
    sites,
    apiKeys,
    chat,
    rateLimits,
    webhookPolicy,
    redisPing: redisLink ? () => redisLink.client.ping() : null,
    classifierStats: () => classifier.classifier.stats(),
    operatorsOnline: () => realtime.operatorsOnline(),
    metrics,
    logger,
    paths: { distDir: path.join(ROOT, 'dist'), demoDir: path.join(ROOT, 'demo-site') },
    extraRoutes: [operatorLoginRoutes(auth, rateLimits), operatorLogoutRoutes(auth), widgetSettingsRoutes({ sites, realtime, clock }),
      telegramWebhookRoutes({ sites, bots: telegramBots, channel: telegram, demoSiteKey: DEMO_SITE_KEY, logger: telegramLog }),
    ],
  });

  const http = createServer(app.callback());
  const io = createIo(http, {
    visitor: {
      store,
      sites,
      chat,
      queuePlaces,
      logger,
      limits: visitorGuards(rateLimits, config.RATE_LIMIT_ENABLED),
      proxyTrust: { trustProxy: config.TRUST_PROXY, hops: config.TRUST_PROXY_HOPS },
    },
    operator: { auth, operators, inbox, addNote: new AddNote({ store, notes, access, realtime }), canned: new CannedResponsesAdmin({ responses: new PrismaCannedResponses(db.prisma), access }),
      transfer: new TransferConversation({ store, assignments, access, realtime, cancelReplies: (id) => delivery.cancel(id), audit, onCapacityFreed: sweepSite }),
      team: new Team({ assignments, access, realtime, autoAssign }),
      availability: new SetAvailability({ assignments, store, realtime, autoAssign }),
      autoAssign, apiKeys: new ApiKeyAdmin({ apiKeys, access }), knowledge: new KnowledgeAdmin({ articles, knowledge, access }), sites: siteAdmin,
      telegram: new TelegramAdmin({
        store: telegramStore,
        access,
        api: botApi,
        bots: telegramBots,
        seal: (token) => tokenCipher.seal(token),
        mode: telegramMode,
        envBot: config.TELEGRAM_BOT_TOKEN ? { siteKey: DEMO_SITE_KEY, enabled: config.TELEGRAM_ENABLED ?? true } : null,
      }),
      logger,
      transcripts: new ConversationExport({ store, access, clock }),
      erasure,
      audit,
      analytics: new SiteAnalytics({ analytics: new PrismaAnalytics(db.prisma), access }),
    },
    realtime,
    redis: redisLink && redisModules ? { pub: redisLink.client, sub: redisLink.subscriber, prefix: ns, onError: redisLink.failed, adapter: redisModules[1].createOutageTolerantRedisAdapter } : null,
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const url = config.PORT === 0 ? `http://127.0.0.1:${port}` : config.PUBLIC_URL;

  // Background work of every process: overdue replies, messages left undecided by a dead or
  // failing process, webhook retries, retention. Each loop survives its dependency being away.
  const recovery = new UndecidedRecovery({ store, clock, decide: (c, m) => chat.decideStored(c, m), onError });
  const retention = new Retention({ store, telegram: telegramStore, clock, onError, days: config.RETENTION_DAYS });
  const operatorSessions = revokedSessionSweep(io.of('/operator') as unknown as OperatorNamespace, auth, {
    intervalMs: config.OPERATOR_SESSION_RECHECK_MS,
    onError,
    // A membership change another process could not announce (Redis away) is caught up here.
    onSession: (socket, session) => syncOperatorRooms(socket, session, realtime),
  });
  delivery.start();
  operatorSessions.start(config.OPERATOR_SESSION_RECHECK_MS);
  recovery.start();
  retention.start();
  webhooks.start();
  telegramOutbox.start();
  telegramBots.start();
  logger.info({ url }, `support chat listening on ${url}`);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      // Stop taking work, let in-flight decisions finish, then close every connection cleanly.
      io.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await operatorSessions.stop();
      await recovery.stop();
      await telegramBots.stop();
      await chat.drain();
      await delivery.stop();
      telegram.stop();
      await telegramOutbox.stop();
      await retention.stop();
      await webhooks.stop();
      realtime.close();
      await classifier.close?.();
      await db.close();
      await redisLink?.close();
    })());

  return { url, config, http, services: { assignments, chat, operators, auth, store, sites: siteStore, webhookSecrets, apiKeys, notes }, prisma: db.prisma, close };
}

/** A webhook URL's origin only: its path and query may carry the platform's secrets, which stay out of logs. */
function webhookOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid url';
  }
}
