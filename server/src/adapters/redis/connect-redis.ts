/**
 * The Redis connections of one server process, made so that Redis going away degrades the
 * server instead of stopping it:
 *  - nothing waits for Redis at start: the connections are made in the background and keep
 *    being retried (capped backoff) for as long as the process lives;
 *  - commands fail at once while Redis is down (no offline queue, no retries of a command), so a
 *    cache read is a miss within microseconds and no request waits for a reconnect;
 *  - the log says when Redis becomes unreachable and when it is back — once per change, not
 *    once per retry — and never contains the URL's password.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/** Reconnect after 100 ms, 200 ms, … at most RETRY_CAP_MS apart, so Redis is back in use soon after it returns. */
const RETRY_CAP_MS = 1000;
/** A reply slower than this is treated as a failure: a request never waits longer on Redis. */
const COMMAND_TIMEOUT_MS = 1000;
/** A Redis that is connected but does not answer (a partition) must not log every request. */
const WARN_EVERY_MS = 10_000;

export interface RedisLink {
  /** Commands (cache, limits, outage window, Socket.IO adapter publishing): they fail at once while Redis is down. */
  readonly client: Redis;
  /** The Socket.IO adapter's subscriber: its subscriptions wait for Redis and are renewed on every reconnect. */
  readonly subscriber: Redis;
  /**
   * Reports a command that failed and was carried on without: counted every time, logged only
   * when Redis looked up (a slow or odd reply; at most every WARN_EVERY_MS) — an outage is logged
   * once, by the connection.
   */
  failed(operation: string, error: unknown): void;
  close(): Promise<void>;
}

/** `host:port` of REDIS_URL, for logs (never the password). */
function redisAddress(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || 6379}`;
}

export interface ConnectRedisOptions {
  logger: Logger;
  /** Called for every failed command (a metric). */
  countFailure?: (operation: string) => void;
}

export function connectRedis(url: string, { logger, countFailure }: ConnectRedisOptions): RedisLink {
  const address = redisAddress(url);
  const common: RedisOptions = {
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(100 * 2 ** (attempt - 1), RETRY_CAP_MS),
    connectTimeout: 2000,
  };
  // Auto-pipelining sends the commands of one event-loop turn in one write: a visitor message's
  // broadcasts (its room and the operators watching) are two PUBLISHes issued together.
  const client = new Redis(url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: COMMAND_TIMEOUT_MS, enableAutoPipelining: true });
  // SUBSCRIBE is sent once, when the adapter is made: it must wait for Redis rather than fail.
  const subscriber = new Redis(url, { ...common, maxRetriesPerRequest: null });

  let lastWarnAt = -Infinity;
  // `null` until the first outcome, so the first failure at start is reported like any later one.
  let up: boolean | null = null;
  client.on('ready', () => {
    if (up === false) logger.info(`Redis at ${address} (REDIS_URL) is reachable again`);
    else logger.info(`Redis at ${address} connected`);
    up = true;
  });
  let closing = false;
  client.on('error', (error: Error) => {
    if (up === false || closing) return;
    up = false;
    logger.warn({ reason: error.message }, `Redis at ${address} (REDIS_URL) is unreachable: running degraded until it returns`);
  });
  // The command client reports the state; the subscriber's errors are the same outage told twice.
  subscriber.on('error', () => {});

  client.connect().catch(() => {}); // reported by the 'error' listener; retryStrategy keeps trying
  subscriber.connect().catch(() => {});

  return {
    client,
    subscriber,
    failed(operation, error) {
      countFailure?.(operation);
      if (client.status !== 'ready' || Date.now() - lastWarnAt < WARN_EVERY_MS) return;
      lastWarnAt = Date.now();
      logger.warn({ err: error, operation }, `Redis command failed (${operation}): carried on without it`);
    },
    async close() {
      closing = true;
      // quit() waits for Redis to answer; a Redis that is down has nobody to say goodbye to.
      await Promise.all([client, subscriber].map((c) => (c.status === 'ready' ? c.quit().then(() => {}, () => c.disconnect()) : c.disconnect())));
    },
  };
}
