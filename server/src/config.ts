/**
 * Configuration: the environment is parsed once, here, into a frozen object. Names follow the
 * seed documents (RESPONSE_DELAY_SECONDS, SUPABASE_*, AI_CONFIDENCE_THRESHOLD …). A bad value
 * stops the process with one line naming the variable and the problem (see `ConfigError`).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(v), 'expected true or false')
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const seconds = z.coerce.number().finite().min(0, 'must be ≥ 0');
const positiveInt = z.coerce.number().int('must be a whole number').positive('must be > 0');

/** A list given as a JSON array (`["a","b"]`) or comma-separated (`a,b`), as the seeds allow. */
const list = z.string().transform((raw, ctx) => {
  const text = raw.trim();
  if (text === '') return [] as string[];
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed.map((s) => s.trim());
    } catch {
      /* reported below */
    }
    ctx.addIssue({ code: 'custom', message: 'expected a JSON array of strings or a comma-separated list' });
    return z.NEVER;
  }
  return text.split(',').map((s) => s.trim()).filter(Boolean);
});

const origin = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === v.replace(/\/$/, '');
  } catch {
    return false;
  }
}, 'expected an origin like https://example.com');

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  APP_NAME: z.string().min(1).default('AI Customer Support'),
  APP_VERSION: z.string().min(1).default('0.1.0'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(LOG_LEVELS, { message: `expected one of ${LOG_LEVELS.join(', ')}` }))
    .default('info'),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: z
    .string()
    .trim()
    // The seeds use SQLAlchemy's `postgresql+asyncpg://`; accept it and drop the driver part.
    .transform((v) => v.replace(/^postgres(ql)?\+\w+:\/\//, 'postgresql://'))
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'expected a postgresql:// URL')
    .optional(),
  SUPABASE_USER: z.string().optional(),
  SUPABASE_PASSWORD: z.string().optional(),
  SUPABASE_HOST: z.string().optional(),
  SUPABASE_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SUPABASE_DB: z.string().optional(),
  DATABASE_ECHO: bool.default(false),
  REDIS_URL: z
    .string()
    .trim()
    .refine((v) => v === '' || /^rediss?:\/\//.test(v), 'expected a redis:// URL')
    .optional(),
  /** Prefix of every Redis key and BullMQ queue, so deployments can share one Redis. */
  REDIS_PREFIX: z.string().regex(/^[\w-]{1,40}$/, 'letters, digits, - and _ only').default('sc'),
  OPENAI_API_KEY: z.string().trim().optional(),
  OPENAI_API_BASE: z.string().url().optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  AI_CLASSIFICATION_TIMEOUT: z.coerce.number().positive('must be > 0').max(60).default(8),
  AI_CONFIDENCE_THRESHOLD: z.coerce.number().min(0).max(1, 'must be between 0 and 1').default(0.85),
  CLASSIFICATION_CACHE_TTL_SECONDS: seconds.default(300),
  TEMPLATE_CACHE_TTL_SECONDS: seconds.default(3600),
  SECRET_KEY: z.string().optional(),
  ALLOWED_ORIGINS: list.pipe(z.array(origin)).default([]),
  RATE_LIMIT_ENABLED: bool.default(true),
  RATE_LIMIT_PER_MINUTE: positiveInt.default(60),
  RATE_LIMIT_PER_HOUR: positiveInt.default(1000),
  RATE_LIMIT_MESSAGE_PER_MINUTE: positiveInt.default(10),
  /** Widget messages per client IP, whatever visitor id they come with. */
  RATE_LIMIT_IP_MESSAGE_PER_MINUTE: positiveInt.default(30),
  /** Behind a load balancer or reverse proxy: the client IP comes from X-Forwarded-For. */
  TRUST_PROXY: bool.default(false),
  /** How many proxies in front append to X-Forwarded-For; the client is that many entries from the end. */
  TRUST_PROXY_HOPS: positiveInt.default(1),
  /** Bearer token for /metrics and /api/monitoring/stats; unset = loopback only in production. */
  METRICS_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  RESPONSE_DELAY_SECONDS: seconds.default(3.0),
  FAREWELL_DELAY_SECONDS: seconds.default(10.0),
  MESSAGE_DELIVERY_DELAY_SECONDS: seconds.default(0),
  DELAYS_ENABLED: bool.default(true),
  TYPING_CHARS_PER_SECOND: z.coerce.number().positive().default(40),
  TYPING_MAX_SECONDS: seconds.default(4),
  PACING_JITTER: z.coerce.number().min(0).max(0.5).default(0.1),
  WEBHOOK_ALLOWED_HOSTS: list.default([]),
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().positive().default(5),
  WEBHOOK_MAX_ATTEMPTS: positiveInt.default(6),
  /** Delivered/cancelled planned replies and finished webhook deliveries are deleted after this many days (messages are kept). */
  RETENTION_DAYS: positiveInt.default(30),
  /** Messages waiting to be stored beyond this are refused as busy (retry in 2 s) instead of queueing without bound. */
  MAX_QUEUED_MESSAGES: positiveInt.default(5000),
  /** Paid LLM classifications a site may spend per hour; past it its messages are classified offline. */
  LLM_CALLS_PER_SITE_PER_HOUR: positiveInt.default(2000),
  /** At start, the demo site gets the articles in demo-site/knowledge when it has none yet. */
  KNOWLEDGE_DEMO_ARTICLES: bool.default(true),
  /** With OPENAI_API_KEY: the LLM may rephrase a knowledge answer, checked against its passage (extractive otherwise). */
  KNOWLEDGE_LLM: bool.default(false),
  ESCALATION_REPEAT_THRESHOLD: positiveInt.default(3),
  LOW_CONFIDENCE_STREAK: positiveInt.default(2),
  MASS_OUTAGE_THRESHOLD: positiveInt.default(5),
  MASS_OUTAGE_WINDOW_MINUTES: z.coerce.number().positive().default(10),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  OPERATOR_TOKEN_TTL_MINUTES: positiveInt.default(60 * 12),
  /** How often connected console sockets have their token checked again: a revoked one is cut within this. */
  /** The demo site's Telegram bot (the seeds' variables); other sites set theirs in the console. */
  TELEGRAM_BOT_TOKEN: z.string().trim().regex(/^\d+:[\w-]+$/, 'expected a bot token like 123456:ABC-DEF…').optional(),
  /** Default: on when TELEGRAM_BOT_TOKEN is set. */
  TELEGRAM_ENABLED: bool.optional(),
  /** The X-Telegram-Bot-Api-Secret-Token of the demo site's webhook (default: derived from SECRET_KEY). */
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[\w-]{1,256}$/, 'letters, digits, _ and - only, at most 256').optional(),
  /** The Bot API server (a self-hosted one, or a test's fake). */
  TELEGRAM_API_BASE: z.string().url().default('https://api.telegram.org'),
  /** auto: a webhook when PUBLIC_URL is https (Telegram calls only https), long polling otherwise. */
  TELEGRAM_MODE: z.enum(['auto', 'webhook', 'polling']).default('auto'),
  /** How long one getUpdates call waits for updates (long polling). */
  TELEGRAM_POLL_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(50).default(25),
  OPERATOR_SESSION_RECHECK_MS: positiveInt.max(60_000, 'must be ≤ 60000 (revoked sessions end within a minute)').default(30_000),
});

type Env = z.infer<typeof schema>;

export interface Config extends Omit<Env, 'SECRET_KEY' | 'DATABASE_URL'> {
  SECRET_KEY: string;
  /** Postgres URL, or undefined for the embedded PGlite default. */
  DATABASE_URL: string | undefined;
  PUBLIC_URL: string;
  /** Set when SECRET_KEY was generated for this run (development only). */
  generatedSecret: boolean;
}

/** Parse an environment; throws ConfigError with a one-line message on the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  // Empty strings mean "not set" (docker-compose passes `VAR=` for unset optional vars).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`${name}: ${issue.message}`);
  }
  const e = parsed.data;

  let secret = e.SECRET_KEY;
  let generatedSecret = false;
  if (e.NODE_ENV === 'production') {
    if (!secret || secret.length < 32) throw new ConfigError('SECRET_KEY: must be set to at least 32 characters in production');
  } else if (!secret) {
    secret = randomBytes(32).toString('hex');
    generatedSecret = true;
  }

  let databaseUrl = e.DATABASE_URL;
  if (!databaseUrl && e.SUPABASE_HOST !== undefined) {
    const user = encodeURIComponent(e.SUPABASE_USER ?? 'postgres');
    const password = e.SUPABASE_PASSWORD ? `:${encodeURIComponent(e.SUPABASE_PASSWORD)}` : '';
    databaseUrl = `postgresql://${user}${password}@${e.SUPABASE_HOST}:${e.SUPABASE_PORT ?? 5432}/${e.SUPABASE_DB ?? 'postgres'}`;
  }

  if (e.NODE_ENV === 'production' && databaseUrl && !e.REDIS_URL) {
    throw new ConfigError(
      'REDIS_URL: must be set in production with DATABASE_URL (several server processes on one database would each keep their own rate limits, presence and caches)',
    );
  }

  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return Object.freeze({
    ...e,
    REDIS_URL: e.REDIS_URL || undefined,
    OPENAI_API_KEY: e.OPENAI_API_KEY || undefined,
    SECRET_KEY: secret,
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: publicUrl,
    generatedSecret,
  });
}
