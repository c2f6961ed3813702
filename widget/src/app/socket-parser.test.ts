import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Decoder, Encoder, PacketType, protocol, type Packet } from './socket-parser.ts';

// The real socket.io-parser, as socket.io-client itself resolves it: the codec must speak its wire format.
const real = createRequire(createRequire(import.meta.url).resolve('socket.io-client'))('socket.io-parser') as {
  protocol: number;
  PacketType: Record<string, number>;
  Encoder: new () => { encode(p: Packet): unknown[] };
  Decoder: new () => { on(e: 'decoded', f: (p: Packet) => void): void; add(d: unknown): void };
};

const PACKETS: Packet[] = [
  { type: PacketType.CONNECT, nsp: '/visitor', data: { siteKey: 'demo', visitorId: 'visitor-1', lastSeq: 0 } },
  { type: PacketType.CONNECT, nsp: '/visitor', data: { sid: 'abc' } },
  { type: PacketType.DISCONNECT, nsp: '/visitor' },
  { type: PacketType.EVENT, nsp: '/visitor', data: ['typing', { typing: true }] },
  { type: PacketType.EVENT, nsp: '/visitor', id: 12, data: ['message:send', { clientMessageId: 'c-1', text: 'Привет, "мир" \\ 42,\n{}' }] },
  { type: PacketType.ACK, nsp: '/visitor', id: 12, data: [{ ok: true, data: { seq: 3 } }] },
  { type: PacketType.CONNECT_ERROR, nsp: '/visitor', data: { message: 'origin_not_allowed: http://x may not', data: { code: 'origin_not_allowed' } } },
  { type: PacketType.EVENT, nsp: '/', data: ['hello', 1, null, 'two'] },
];

const decodeWith = (decoder: { on(e: 'decoded', f: (p: Packet) => void): void; add(d: unknown): void }, wire: unknown): Packet => {
  let out: Packet | undefined;
  decoder.on('decoded', (p) => (out = p));
  decoder.add(wire);
  if (!out) throw new Error('nothing decoded');
  return out;
};

describe('the widget\'s JSON-only Socket.IO codec', () => {
  it('speaks the protocol and packet types of socket.io-parser', () => {
    expect(protocol).toBe(real.protocol);
    for (const [name, type] of Object.entries(PacketType)) expect(real.PacketType[name]).toBe(type);
  });

  it('encodes every packet exactly as socket.io-parser does', () => {
    for (const packet of PACKETS) expect(new Encoder().encode(packet)).toEqual(new real.Encoder().encode(packet));
  });

  it('decodes what socket.io-parser encodes into the same packet', () => {
    for (const packet of PACKETS) {
      const [wire] = new real.Encoder().encode(packet);
      expect(decodeWith(new Decoder(), wire)).toEqual(decodeWith(new real.Decoder(), wire));
    }
  });

  it('refuses binary and malformed packets, which the manager turns into a parse error', () => {
    const [binary] = new real.Encoder().encode({ type: PacketType.EVENT, nsp: '/visitor', data: ['file', new Uint8Array([1, 2])] });
    expect(binary).toMatch(/^51-/);
    for (const wire of [binary, new ArrayBuffer(2), '9/visitor,', '2/visitor,["broken', '']) {
      expect(() => decodeWith(new Decoder(), wire)).toThrow();
    }
  });
});
