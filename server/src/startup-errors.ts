/**
 * The one line a person reads when the server cannot start for a reason outside the code: a
 * database that does not answer, a DATA_DIR held by another process. Anything else is not
 * described here and is logged whole, as a bug.
 */
import { DataDirLockedError } from './adapters/db/data-dir-lock.ts';

/** Socket error codes (node:net, DNS) and what they mean to someone reading the log. */
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
};

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  cause?: unknown;
  errors?: unknown;
}

export function describeStartupError(error: unknown, env: { DATABASE_URL?: string; REDIS_URL?: string }): string | null {
  if (error instanceof DataDirLockedError) return error.message;
  const reason = unreachableReason(error);
  if (!reason) return null;
  // The database is the only dependency a start waits for (Redis attaches whenever it answers),
  // unless the failed address is Redis's own.
  const redis = hostOf(env.REDIS_URL, 6379);
  const variable = redis && reason.target === redis ? 'REDIS_URL' : env.DATABASE_URL ? 'DATABASE_URL' : null;
  if (!variable) return null;
  const host = variable === 'REDIS_URL' ? redis : hostOf(env.DATABASE_URL, 5432);
  return `Cannot reach ${variable} (${host}): ${reason.text}`;
}

/** A connection-level failure anywhere in the error, its `cause`s or an AggregateError's parts. */
function unreachableReason(error: unknown, depth = 0): { text: string; target: string | null } | null {
  if (!error || typeof error !== 'object' || depth > 5) return null;
  const e = error as ErrorLike;
  if (typeof e.code === 'string' && UNREACHABLE[e.code]) {
    const host = typeof e.address === 'string' ? e.address : typeof e.hostname === 'string' ? e.hostname : null;
    return { text: UNREACHABLE[e.code]!, target: host && typeof e.port === 'number' ? `${host}:${e.port}` : null };
  }
  // pg's own timeout (connectionTimeoutMillis) carries no code.
  if (typeof e.message === 'string' && /connection timeout/i.test(e.message)) return { text: 'timed out', target: null };
  for (const inner of [...(Array.isArray(e.errors) ? e.errors : []), e.cause]) {
    const found = unreachableReason(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

function hostOf(url: string | undefined, defaultPort: number): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || defaultPort}`;
  } catch {
    return null;
  }
}
