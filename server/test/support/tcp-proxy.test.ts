import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

/** An echo server stands in for Postgres or Redis: what goes in comes back. */
let echo: Server;
let proxy: TcpProxy;

beforeAll(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  proxy = await startTcpProxy({ port: (echo.address() as { port: number }).port });
});

afterAll(async () => {
  await proxy.close();
  echo.close();
});

function dial(): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port: proxy.port });
  return once(socket, 'connect').then(() => socket);
}

async function roundTrip(socket: Socket, text: string): Promise<string> {
  socket.write(text);
  const [data] = (await once(socket, 'data')) as [Buffer];
  return data.toString();
}

/** Resolves with how the socket ended: 'closed' (reset or closed by the far side). */
function ended(socket: Socket): Promise<'closed'> {
  return new Promise((resolve) => {
    socket.on('error', () => undefined);
    if (socket.destroyed) return resolve('closed');
    socket.once('close', () => resolve('closed'));
  });
}

describe('tcp proxy', () => {
  it('forwards, refuses while cut, and serves again on the same port after restore', async () => {
    const before = await dial();
    expect(await roundTrip(before, 'ping')).toBe('ping');

    proxy.cut('refuse');
    expect(await ended(before)).toBe('closed');
    const during = connect({ host: '127.0.0.1', port: proxy.port });
    expect(await ended(during)).toBe('closed');

    proxy.restore();
    const after = await dial();
    expect(await roundTrip(after, 'pong')).toBe('pong');
    after.destroy();
  });

  it('a blackhole freezes open connections and holds new ones without an answer', async () => {
    const before = await dial();
    expect(await roundTrip(before, 'one')).toBe('one');
    const replies: string[] = [];
    before.on('data', (d: Buffer) => replies.push(d.toString()));

    proxy.cut('blackhole');
    before.write('lost');
    const held = await dial(); // the connection is accepted, as across a partition
    const heldReplies: string[] = [];
    held.on('data', (d: Buffer) => heldReplies.push(d.toString()));
    held.write('lost too');
    // Both are still open and held by the proxy; the echo server heard neither write.
    expect(proxy.connections).toBeGreaterThanOrEqual(2);
    expect(before.destroyed || held.destroyed).toBe(false);

    const dropped = Promise.all([ended(before), ended(held)]);
    proxy.restore();
    await dropped;
    expect(replies).toEqual([]);
    expect(heldReplies).toEqual([]);
    const after = await dial();
    expect(await roundTrip(after, 'back')).toBe('back');
    after.destroy();
  });
});
