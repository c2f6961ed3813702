/**
 * Which database errors mean "Postgres is down, cut off or too slow right now" rather than a bug:
 * those are answered as a retryable `unavailable` (socket ack, HTTP 503) instead of
 * `internal_error`, and the client sends again. Seen through @prisma/adapter-pg and pg:
 *  - refused or reset connections: P1001 (ECONNREFUSED), P1017 (server closed the connection);
 *  - pool and transaction waits: P2024 (no pool slot), P2028 (transaction could not start);
 *  - pg's own timeouts, passed through as plain errors: "Query read timeout",
 *    "Connection terminated due to connection timeout", "timeout exceeded when trying to connect";
 *  - Postgres refusing work: 57014 (statement_timeout), 57P0x (shutting down, starting up),
 *    08xxx (connection failures), 53300 (too many connections).
 */

export const UNAVAILABLE_MESSAGE = 'The service is briefly unavailable, please retry';

const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
const DRIVER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);
const PG_MESSAGE = /Connection terminated|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i;

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  meta?: { code?: unknown; driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } };
  cause?: unknown;
}

function isUnavailablePostgresCode(code: unknown): boolean {
  return typeof code === 'string' && (code === '57014' || code === '53300' || code.startsWith('57P') || code.startsWith('08'));
}

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const e = error as ErrorShape;
  if (typeof e.code === 'string' && (PRISMA_CODES.has(e.code) || SOCKET_CODES.has(e.code) || isUnavailablePostgresCode(e.code))) return true;
  const cause = e.meta?.driverAdapterError?.cause;
  if (cause && (DRIVER_KINDS.has(cause.kind as string) || isUnavailablePostgresCode(cause.originalCode))) return true;
  if (isUnavailablePostgresCode(e.meta?.code)) return true;
  if (typeof e.message === 'string' && PG_MESSAGE.test(e.message)) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
