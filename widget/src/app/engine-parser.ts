/**
 * The Engine.IO packet codec (protocol 4) the widget bundles in place of engine.io-parser
 * (vite.config.ts aliases the package here for the app build), as socket-parser.ts does for
 * socket.io-parser. The widget never sends or receives binary data, so engine.io-parser's binary
 * half — Blob/ArrayBuffer detection, base64 via FileReader, a base64 decoding table, the
 * WebTransport length-prefixed streams — is dead weight on every customer's page. A binary frame
 * (or a `b…` base64 packet) decodes as engine.io's error packet: the transport reports a parse
 * error and the socket reconnects, as it does for any malformed packet.
 *
 * Wire format: one digit per type (`0` open … `6` noop) then the text; long-polling payloads join
 * packets with the record separator (U+001E).
 * widget/src/app/engine-parser.test.ts checks it against engine.io-parser itself.
 */

export const protocol = 4;

export interface Packet {
  type: string;
  data?: unknown;
}

const TYPES = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];
const ERROR_PACKET: Packet = { type: 'error', data: 'parser error' };
const SEPARATOR = '\x1e';

export const encodePacket = ({ type, data }: Packet, _supportsBinary: unknown, callback: (encoded: string) => void): void =>
  callback(TYPES.indexOf(type) + ((data as string) || ''));

export function decodePacket(encoded: unknown): Packet {
  const type = typeof encoded == 'string' ? TYPES[encoded.charAt(0) as never] : undefined;
  if (!type) return ERROR_PACKET;
  return (encoded as string).length > 1 ? { type, data: (encoded as string).slice(1) } : { type };
}

export function encodePayload(packets: Packet[], callback: (payload: string) => void): void {
  const out: string[] = [];
  for (const packet of packets) encodePacket(packet, 0, (encoded) => out.push(encoded));
  callback(out.join(SEPARATOR));
}

export function decodePayload(payload: string): Packet[] {
  const packets: Packet[] = [];
  for (const encoded of payload.split(SEPARATOR)) {
    const packet = decodePacket(encoded);
    packets.push(packet);
    if (packet.type == 'error') break;
  }
  return packets;
}

/** WebTransport's binary streams: that transport is not bundled (vite.config.ts), but its module still imports these names. */
export function createPacketEncoderStream(): never {
  throw new Error('no WebTransport in the widget');
}
export const createPacketDecoderStream = createPacketEncoderStream;
