// Test doubles for storage and the socket, so chat logic is tested in node without a DOM.
import type { Ack, MessageDto, SendMessagePayload, SentMessage, VisitorProfile, VisitorServerToClientEvents } from '@support-chat/protocol';
import type { VisitorConnection } from './transport.ts';

/** An in-memory `Storage`, shared by several "page loads" to simulate a reload. */
export class FakeStorage implements Storage {
  private map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(index: number) {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.map.set(key, String(value));
  }
}

interface Pending<P, R> {
  payload: P;
  resolve: (res: R) => void;
  reject: (error: Error) => void;
}

/** A VisitorConnection driven by the test: it decides when acks come and what the server emits. */
export function fakeConnection() {
  const listeners = new Map<string, (payload: never) => void>();
  let connectionListener: (connected: boolean) => void = () => {};
  let refusedListener = () => {};
  const sends: Pending<SendMessagePayload, Ack<SentMessage>>[] = [];
  const historyRequests: Pending<number, Ack<{ messages: MessageDto[] }>>[] = [];
  const ratings: Pending<number, Ack<{ rating: number }>>[] = [];
  const profiles: Pending<VisitorProfile, Ack<VisitorProfile>>[] = [];
  const typing: boolean[] = [];
  let opened = 0;
  const pending = <P, R>(list: Pending<P, R>[], payload: P) =>
    new Promise<R>((resolve, reject) => list.push({ payload, resolve, reject }));

  const connection: VisitorConnection = {
    on: (event, listener) => void listeners.set(event, listener as (payload: never) => void),
    onConnectionChange: (listener) => void (connectionListener = listener),
    onRefused: (listener) => void (refusedListener = listener),
    send: (payload) => pending(sends, payload),
    historySince: (afterSeq) => pending(historyRequests, afterSeq),
    rate: (rating) => pending(ratings, rating),
    profile: (profile) => pending(profiles, profile),
    typing: (value) => void typing.push(value),
    open: () => void opened++,
  };
  return {
    connection,
    sends,
    historyRequests,
    ratings,
    profiles,
    typing,
    opened: () => opened,
    connect: () => connectionListener(true),
    disconnect: () => connectionListener(false),
    /** The server refused the handshake for good (unknown site, origin not allowed). */
    refuse: () => refusedListener(),
    serverEmits<E extends keyof VisitorServerToClientEvents>(event: E, payload: Parameters<VisitorServerToClientEvents[E]>[0]) {
      const listener = listeners.get(event);
      if (!listener) throw new Error(`no listener for ${event}`);
      listener(payload as never);
    },
  };
}

export function message(seq: number, patch: Partial<MessageDto> = {}): MessageDto {
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    author: 'bot',
    text: `text ${seq}`,
    clientMessageId: null,
    createdAt: new Date(Date.UTC(2025, 0, 1, 12, 0, seq)).toISOString(),
    category: null,
    ...patch,
  };
}

/** Lets settled promises run their callbacks. */
export const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
