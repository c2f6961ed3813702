/**
 * One connection attempt of a bench visitor that survives restarts: connects with its cursor
 * (conversation, last seq), follows the server to a new conversation, and takes in the history it
 * missed. Answers null when the server is down or the connection dies during the handshake (a
 * SIGKILL reports neither connect nor error: it times out), so the caller retries.
 */
import { io, type Socket } from 'socket.io-client';
import type { MessageDto, VisitorClientToServerEvents, VisitorServerToClientEvents, VisitorSession } from '@support-chat/protocol';
import { sleep, TEST_ORIGIN } from '../server/test/support/server-process.ts';

export type VisitorSocket = Socket<VisitorServerToClientEvents, VisitorClientToServerEvents>;

export interface VisitorCursor {
  visitorId: string;
  conversationId: string | null;
  lastSeq: number;
  /** Messages of the current conversation by seq; cleared when the server starts a new one. */
  seen: Map<number, MessageDto>;
}

export async function tryVisitorSocket(url: string, cursor: VisitorCursor, record: (m: MessageDto) => void): Promise<VisitorSocket | null> {
  const socket: VisitorSocket = io(`${url}/visitor`, {
    auth: { siteKey: 'demo', visitorId: cursor.visitorId, conversationId: cursor.conversationId, lastSeq: cursor.lastSeq },
    transports: ['websocket'],
    extraHeaders: { origin: TEST_ORIGIN },
    reconnection: false,
    forceNew: true,
    timeout: 5000,
  });
  socket.on('session', (session: VisitorSession) => {
    if (session.conversationId && session.conversationId !== cursor.conversationId) {
      cursor.conversationId = session.conversationId;
      cursor.lastSeq = 0;
      cursor.seen.clear();
    }
  });
  const history = new Promise<void>((resolve) =>
    socket.once('history', ({ messages }) => {
      for (const m of messages) record(m);
      resolve();
    }),
  );
  socket.on('message:new', (m) => record(m));
  const ok = await Promise.race([
    new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('connect_error', () => resolve(false));
      socket.io.once('close', () => resolve(false));
    }),
    sleep(6000).then(() => false),
  ]);
  if (ok && (await Promise.race([history.then(() => true), sleep(5000).then(() => false)]))) return socket;
  socket.close();
  return null;
}
