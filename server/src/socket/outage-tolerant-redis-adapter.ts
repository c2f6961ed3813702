/**
 * The Socket.IO Redis adapter, made to outlive a Redis outage. The stock adapter
 *  - drops the promise of every PUBLISH (broadcasts, room joins, requests): while Redis is down
 *    each one rejects with nobody listening, and an unhandled rejection ends the process;
 *  - applies `socketsJoin`/`socketsLeave`/`disconnectSockets` only when its own request comes back
 *    through Redis, so during an outage a visitor would not even join a room on its own process.
 * Here failed publishes and (un)subscribes are reported instead of thrown, and those three
 * operations are applied on this process at once, then published for the others (when this
 * process's own request comes back it changes nothing). Broadcasts still reach this process's
 * sockets during an outage; other processes hear again once Redis returns.
 */
import type { Redis } from 'ioredis';
import { RedisAdapter, type RedisAdapterOptions } from '@socket.io/redis-adapter';

type Options = Parameters<RedisAdapter['addSockets']>[0];
type Rooms = Parameters<RedisAdapter['addSockets']>[1];

/** Calls whose promises the stock adapter drops: their failures are reported, never thrown. */
const FIRE_AND_FORGET = new Set(['publish', 'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe']);

function reportingDroppedCalls(client: Redis, onError: (operation: string, error: unknown) => void): Redis {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof property !== 'string' || typeof value !== 'function' || property === 'constructor') return value;
      if (!FIRE_AND_FORGET.has(property)) return value.bind(target);
      return (...args: unknown[]) => (value.apply(target, args) as Promise<unknown>).catch((error: unknown) => onError(property, error));
    },
  });
}

const onlyHere = (opts: Options): Options => ({ ...opts, flags: { ...opts.flags, local: true } });

class OutageTolerantRedisAdapter extends RedisAdapter {
  override addSockets(opts: Options, rooms: Rooms): void {
    if (!opts.flags?.local) super.addSockets(onlyHere(opts), rooms);
    super.addSockets(opts, rooms);
  }

  override delSockets(opts: Options, rooms: Rooms): void {
    if (!opts.flags?.local) super.delSockets(onlyHere(opts), rooms);
    super.delSockets(opts, rooms);
  }

  override disconnectSockets(opts: Options, close: boolean): void {
    if (!opts.flags?.local) super.disconnectSockets(onlyHere(opts), close);
    super.disconnectSockets(opts, close);
  }
}

export function createOutageTolerantRedisAdapter(
  pub: Redis,
  sub: Redis,
  options: Partial<RedisAdapterOptions> & { onError: (operation: string, error: unknown) => void },
): (nsp: unknown) => RedisAdapter {
  const { onError, ...adapterOptions } = options;
  const pubClient = reportingDroppedCalls(pub, onError);
  const subClient = reportingDroppedCalls(sub, onError);
  // A function, not an arrow: Socket.IO calls it with `new`.
  return function adapter(nsp: unknown) {
    return new OutageTolerantRedisAdapter(nsp, pubClient, subClient, adapterOptions);
  };
}
