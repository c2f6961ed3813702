/**
 * The Socket.IO packet codec (protocol 5) the widget bundles in place of socket.io-parser
 * (vite.config.ts aliases the package here for the app build). Everything the widget and the
 * server exchange is JSON, so the binary half of socket.io-parser — attachments, Blob/ArrayBuffer
 * detection and reconstruction, ~2 KB gz — is dead weight on every customer's page. A binary
 * packet (or anything malformed) throws, and the manager closes the connection as a parse error
 * and reconnects, as it would with the full parser.
 *
 * Wire format: <type>[<namespace>,][<ack id>][<JSON data>], e.g. `2/visitor,3["typing",{…}]`.
 * widget/src/app/socket-parser.test.ts checks it against socket.io-parser itself.
 */

export const protocol = 5;

export const PacketType = { CONNECT: 0, DISCONNECT: 1, EVENT: 2, ACK: 3, CONNECT_ERROR: 4, BINARY_EVENT: 5, BINARY_ACK: 6 } as const;

export interface Packet {
  type: number;
  nsp: string;
  id?: number;
  data?: unknown;
}

export class Encoder {
  encode(p: Packet): string[] {
    return [p.type + (p.nsp && p.nsp != '/' ? p.nsp + ',' : '') + (p.id ?? '') + (p.data == null ? '' : JSON.stringify(p.data))];
  }
}

const TEXT_PACKET = /^([0-4])(\/[^,]*,)?(\d*)([^]*)$/;

/** The manager subscribes with on('decoded') after every (re)connect and unsubscribes with off() on close. */
export class Decoder {
  private listener?: ((packet: Packet) => void) | undefined;
  on(_event: 'decoded', listener: (packet: Packet) => void): void {
    this.listener = listener;
  }
  off(): void {
    this.listener = undefined;
  }
  add(data: unknown): void {
    const m = typeof data == 'string' && TEXT_PACKET.exec(data);
    if (!m) throw new Error('not a text packet');
    const packet: Packet = { type: +m[1]!, nsp: m[2] ? m[2].slice(0, -1) : '/' };
    if (m[3]) packet.id = +m[3];
    if (m[4]) packet.data = JSON.parse(m[4]);
    this.listener?.(packet);
  }
  destroy(): void {}
}
