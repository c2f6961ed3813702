/**
 * The client IP of a Socket.IO handshake, by the rule Koa applies to REST requests: with
 * TRUST_PROXY, the entry `hops` from the end of X-Forwarded-For (each trusted proxy appends the
 * address it saw, so earlier entries are whatever the client wrote); otherwise the socket's
 * remote address, and X-Forwarded-For is ignored.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface ProxyTrust {
  trustProxy: boolean;
  /** Proxies in front that append to X-Forwarded-For (TRUST_PROXY_HOPS). */
  hops: number;
}

export function handshakeClientIp(handshake: { address: string; headers: IncomingHttpHeaders }, trust: ProxyTrust): string {
  if (!trust.trustProxy) return handshake.address;
  const header = handshake.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : header ?? '')
    .split(',')
    .map((ip) => ip.trim())
    .filter(Boolean)
    .slice(-trust.hops);
  return forwarded[0] ?? handshake.address;
}
