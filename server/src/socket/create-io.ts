/** createIo(server, deps): Socket.IO on the HTTP server, with both namespaces registered. */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Redis } from 'ioredis';
import { LIMITS } from '@support-chat/protocol';
import { registerOperatorNamespace, type OperatorNamespaceDeps } from './operator-namespace.ts';
import { registerVisitorNamespace, type VisitorDeps } from './visitor-namespace.ts';
import type { SocketRealtime } from './socket-realtime.ts';
import type { createOutageTolerantRedisAdapter } from './outage-tolerant-redis-adapter.ts';
import type { OperatorNamespace, VisitorNamespace } from './typed-io.ts';

export interface IoDeps {
  visitor: Omit<VisitorDeps, 'realtime'>;
  operator: Omit<OperatorNamespaceDeps, 'realtime'>;
  realtime: SocketRealtime;
  /**
   * A pub/sub pair for the Redis adapter when REDIS_URL is set (several server processes), and
   * REDIS_PREFIX: deployments sharing one Redis must not hear each other's broadcasts.
   * `onError` hears publishes and subscriptions that failed (Redis is down): they are not thrown.
   * `adapter` is outage-tolerant-redis-adapter.ts's factory, which the composition root loads only
   * when it is needed (with ioredis, ~0.3 s of a start that the embedded mode does not spend).
   */
  redis: { pub: Redis; sub: Redis; prefix: string; onError: (operation: string, error: unknown) => void; adapter: typeof createOutageTolerantRedisAdapter } | null;
}

/** How long a request to every process (presence's fetchSockets) waits for the others' answers. */
const REQUESTS_TIMEOUT_MS = 2000;

export function createIo(server: HttpServer, deps: IoDeps): Server {
  const io = new Server(server, {
    // A message is ≤ 4,000 chars; leave room for JSON and UTF-8, refuse anything far bigger.
    maxHttpBufferSize: LIMITS.messageMaxChars * 4 + 16_384,
    // Origins are checked per site in the visitor handshake; the console is same-origin.
    cors: { origin: true, credentials: false },
    serveClient: false,
  });
  // Polling responses are served by the engine, not Koa: they need the no-sniffing header of their own.
  io.engine.on('headers', (headers: Record<string, string>) => {
    headers['X-Content-Type-Options'] = 'nosniff';
  });
  if (deps.redis) {
    const { pub, sub, prefix, onError, adapter } = deps.redis;
    io.adapter(adapter(pub, sub, { key: `${prefix}:socket.io`, requestsTimeout: REQUESTS_TIMEOUT_MS, onError }));
  }

  const visitors = io.of('/visitor') as unknown as VisitorNamespace;
  const operators = io.of('/operator') as unknown as OperatorNamespace;
  deps.realtime.attach(visitors, operators, { clustered: deps.redis !== null });
  registerVisitorNamespace(visitors, { ...deps.visitor, realtime: deps.realtime });
  registerOperatorNamespace(operators, { ...deps.operator, realtime: deps.realtime });
  return io;
}
