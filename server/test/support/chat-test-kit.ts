/**
 * The set-up the visitor-chat behaviour tests share: a test server of one storage mode whose owner
 * account is OWNER, widgets and logged-in consoles on it that are closed for you, and acks read as
 * data. Call it inside `describe`: it registers the hooks — the server's start (120 s on a loaded
 * machine), closing what a test opened after that test (what the file's own `beforeAll` opened:
 * after the file), and the server's stop.
 */
import type { Ack, SentMessage, VisitorAuth } from '@support-chat/protocol';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Clock } from '../../src/services/ports.ts';
import { connected, logInOperator, operatorSocket, startTestServer, visitorSocket, type OperatorClient, type StorageMode, type TestServer, type VisitorClient } from './test-server.ts';

export const OWNER = { email: 'owner@example.com', password: 'owner password 0123' };

export interface Credentials {
  email: string;
  password: string;
}

export interface ChatTestKit {
  /** The running server (from the kit's `beforeAll` on). */
  readonly server: TestServer;
  /** A widget socket of the server, not yet connected. */
  widget(auth?: Partial<VisitorAuth>): VisitorClient;
  /** A console logged in as `who` (the owner by default), connected. */
  console(who?: Credentials): Promise<OperatorClient>;
  /** A visitor message's ack. */
  send(socket: VisitorClient, text: string): Promise<Ack<SentMessage>>;
  /** A visitor message, sent; a refusal throws with the server's message. */
  sent(socket: VisitorClient, text: string): Promise<SentMessage>;
  /** A console event's data; a refusal throws with the server's code and message. */
  ok<T>(socket: OperatorClient, event: string, payload?: unknown): Promise<T>;
}

export function chatTestKit(mode: StorageMode, options: { env?: Record<string, string>; clock?: Clock; owner?: Credentials } = {}): ChatTestKit {
  const owner = options.owner ?? OWNER;
  let server: TestServer | undefined;
  let inTest = false;
  const ofFile: Array<VisitorClient | OperatorClient> = [];
  const ofTest: Array<VisitorClient | OperatorClient> = [];
  const track = <S extends VisitorClient | OperatorClient>(socket: S): S => ((inTest ? ofTest : ofFile).push(socket), socket);

  beforeAll(async () => {
    server = await startTestServer(mode, { ADMIN_EMAIL: owner.email, ADMIN_PASSWORD: owner.password, ...options.env }, { clock: options.clock });
  }, 120_000);
  beforeEach(() => {
    inTest = true;
  });
  afterEach(() => {
    inTest = false;
    for (const socket of ofTest.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    for (const socket of ofFile.splice(0)) socket.disconnect();
    await server?.stop();
  });

  const kit: ChatTestKit = {
    get server() {
      if (!server) throw new Error('the test server is not started yet (use the kit inside tests and hooks)');
      return server;
    },
    widget: (auth = {}) => track(visitorSocket(kit.server.url, auth)),
    console: async (who = owner) => {
      const socket = track(operatorSocket(kit.server.url, await logInOperator(kit.server.url, who)));
      await connected(socket);
      return socket;
    },
    send: (socket, text) => socket.timeout(10_000).emitWithAck('message:send', { clientMessageId: crypto.randomUUID(), text }) as Promise<Ack<SentMessage>>,
    sent: async (socket, text) => {
      const ack = await kit.send(socket, text);
      if (!ack.ok) throw new Error(ack.error.message);
      return ack.data;
    },
    ok: async <T,>(socket: OperatorClient, event: string, payload?: unknown): Promise<T> => {
      const emit = socket.timeout(10_000).emitWithAck.bind(socket) as (e: string, ...args: unknown[]) => Promise<Ack<T>>;
      const ack = await (payload === undefined ? emit(event) : emit(event, payload));
      if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
      return ack.data;
    },
  };
  return kit;
}
