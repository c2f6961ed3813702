/**
 * A loopback TCP proxy in front of Postgres that counts what clients send, by message type of the
 * frontend protocol: statements are Execute ('E', extended protocol) plus Query ('Q', simple
 * protocol, BEGIN/COMMIT included); round trips are Sync ('S') plus Query. Exact where
 * pg_stat_database only sees transactions (a statement inside BEGIN … COMMIT is not one).
 */
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface WireCounts {
  statements: number;
  roundTrips: number;
}

export interface WireCounter {
  /** `databaseUrl` with host and port pointing at the proxy. */
  url(databaseUrl: string): string;
  counts(): WireCounts;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export async function startWireCounter(target = { host: '127.0.0.1', port: 5432 }): Promise<WireCounter> {
  const totals: WireCounts = { statements: 0, roundTrips: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let buffered = Buffer.alloc(0);
    let startup = true; // the startup packet (and an SSL/GSS request before it) has no type byte
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (startup) {
          if (buffered.length < 8) break;
          const length = buffered.readInt32BE(0);
          if (buffered.length < length) break;
          const code = buffered.readInt32BE(4);
          buffered = buffered.subarray(length);
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startup = false;
          continue;
        }
        if (buffered.length < 5) break;
        const length = buffered.readInt32BE(1);
        if (buffered.length < 1 + length) break;
        const type = String.fromCharCode(buffered[0]!);
        if (type === 'E' || type === 'Q') totals.statements++;
        if (type === 'S' || type === 'Q') totals.roundTrips++;
        buffered = buffered.subarray(1 + length);
      }
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    counts: () => ({ ...totals }),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
