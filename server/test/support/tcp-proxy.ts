/**
 * A TCP proxy on a loopback port in front of a real Postgres or Redis, so a test can take the
 * dependency away and give it back without touching the machine's own server:
 *  - `cut('refuse')`: open connections are reset, new ones are reset at once (the service is down,
 *    the host answers) — clients fail fast;
 *  - `cut('blackhole')`: open connections freeze and new ones are accepted and held without an
 *    answer (a network partition) — clients only fail through their own timeouts.
 * The proxy keeps listening while cut, so `restore()` serves again on the same port.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type CutMode = 'refuse' | 'blackhole';

export interface TcpProxy {
  /** The proxy's own port on 127.0.0.1. */
  readonly port: number;
  /** `null` while forwarding, otherwise how it is cut. */
  readonly cutMode: CutMode | null;
  /** Connections currently open or held through the proxy. */
  readonly connections: number;
  cut(mode?: CutMode): void;
  /** Forwards again. Connections frozen by a blackhole are dropped: their peers gave up on them. */
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const host = target.host ?? '127.0.0.1';
  let cutMode: CutMode | null = null;
  /** Every client socket with its upstream (absent while held by a blackhole). */
  const open = new Map<Socket, Socket | null>();

  const drop = (client: Socket) => {
    const upstream = open.get(client);
    open.delete(client);
    client.destroy();
    upstream?.destroy();
  };

  const server: Server = createServer((client) => {
    client.on('error', () => drop(client));
    client.on('close', () => drop(client));
    if (cutMode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    if (cutMode === 'blackhole') {
      open.set(client, null);
      client.pause();
      return;
    }
    const upstream = connect({ host, port: target.port });
    open.set(client, upstream);
    upstream.on('error', () => drop(client));
    upstream.on('close', () => drop(client));
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };

  return {
    port,
    get cutMode() {
      return cutMode;
    },
    get connections() {
      return open.size;
    },
    cut(mode: CutMode = 'refuse') {
      cutMode = mode;
      for (const [client, upstream] of open) {
        if (mode === 'refuse') {
          open.delete(client);
          client.resetAndDestroy();
          upstream?.destroy();
        } else {
          // Nothing moves either way, but neither side is told.
          client.unpipe();
          upstream?.unpipe();
          client.pause();
          upstream?.pause();
        }
      }
    },
    restore() {
      if (cutMode === 'blackhole') for (const client of [...open.keys()]) drop(client);
      cutMode = null;
    },
    async close() {
      for (const client of [...open.keys()]) drop(client);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
