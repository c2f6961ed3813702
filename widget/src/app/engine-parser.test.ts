import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodePacket, decodePayload, encodePacket, encodePayload, protocol, type Packet } from './engine-parser.ts';

// The real engine.io-parser, as engine.io-client itself resolves it: the codec must speak its wire format.
const fromClient = createRequire(createRequire(import.meta.url).resolve('socket.io-client'));
const real = createRequire(fromClient.resolve('engine.io-client'))('engine.io-parser') as {
  protocol: number;
  encodePacket(p: Packet, binary: boolean, cb: (e: unknown) => void): void;
  decodePacket(e: unknown, binaryType?: string): Packet;
  encodePayload(p: Packet[], cb: (e: string) => void): void;
  decodePayload(e: string, binaryType?: string): Packet[];
};

const PACKETS: Packet[] = [
  { type: 'open', data: '{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}' },
  { type: 'close' },
  { type: 'ping' },
  { type: 'pong', data: 'probe' },
  { type: 'message', data: '2/visitor,["typing",{"typing":true}]' },
  { type: 'message', data: '0/visitor,{"text":"Привет, \\u001e мир"}' },
  { type: 'upgrade' },
  { type: 'noop' },
];

const encode = (codec: { encodePacket: typeof real.encodePacket }, p: Packet) => {
  let out: unknown;
  codec.encodePacket(p, true, (e) => (out = e));
  return out;
};

describe('the widget engine.io codec', () => {
  it('speaks the protocol engine.io-parser speaks', () => expect(protocol).toBe(real.protocol));

  it('encodes every text packet as engine.io-parser does, and decodes what it encodes', () => {
    for (const packet of PACKETS) {
      const wire = encode({ encodePacket }, packet);
      expect(wire).toBe(encode(real, packet));
      expect(decodePacket(wire)).toEqual(real.decodePacket(wire));
    }
  });

  it('joins and splits long-polling payloads as engine.io-parser does', () => {
    let ours = '';
    let theirs = '';
    encodePayload(PACKETS, (e) => (ours = e));
    real.encodePayload(PACKETS, (e) => (theirs = e));
    expect(ours).toBe(theirs);
    expect(decodePayload(ours)).toEqual(real.decodePayload(ours));
  });

  it('turns binary and unknown packets into the error packet, which closes the transport', () => {
    const error = { type: 'error', data: 'parser error' };
    expect(decodePacket('bAQID')).toEqual(error);
    expect(decodePacket(new ArrayBuffer(3))).toEqual(error);
    expect(decodePacket('9x')).toEqual(error);
    expect(decodePacket('')).toEqual(error);
    expect(decodePayload(`4hi\x1ebAQID\x1e4never`)).toEqual([{ type: 'message', data: 'hi' }, error]);
  });
});
