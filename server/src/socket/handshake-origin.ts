/**
 * The page origin of a `/visitor` handshake. Browsers send `Origin` with every WebSocket and
 * cross-origin request, but not with a same-origin GET — which is what Socket.IO's long-polling
 * handshake is when the widget runs on the chat server's own pages (the demo page) and WebSocket
 * is blocked. Such a request says `Sec-Fetch-Site: same-origin` (a header page scripts cannot
 * set), and its page origin is the one it was sent to. Anything else without `Origin` is not a
 * browser page: undefined.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ProxyTrust } from './client-ip.ts';

export function handshakeOrigin(handshake: { headers: IncomingHttpHeaders; secure: boolean }, trust: Pick<ProxyTrust, 'trustProxy'>): string | undefined {
  const { origin, host } = handshake.headers;
  if (origin) return origin;
  if (handshake.headers['sec-fetch-site'] !== 'same-origin' || !host) return undefined;
  const forwardedProto = trust.trustProxy ? String(handshake.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim() : '';
  const scheme = forwardedProto === 'https' || (!forwardedProto && handshake.secure) ? 'https' : 'http';
  return `${scheme}://${host}`;
}
