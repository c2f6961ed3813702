import { LIMITS, type ConversationStatus, type ErrorBody, type IncidentBanner, type MessageDto, type QueuePlace, type VisitorProfile } from '@support-chat/protocol';
import { randomId } from './ids.ts';
import {
  acknowledged,
  advanceCursor,
  buildItems,
  hasGap,
  mergeMessages,
  settleCursor,
  type ChatItem,
  type DeliveryState,
} from './messages.ts';
import type { OutboxEntry, StoreKey, WidgetStore } from './storage.ts';
import type { VisitorConnection } from './transport.ts';

export type RatingState = 'hidden' | 'asked' | 'sending' | 'failed' | 'done';

export interface ChatState {
  connected: boolean;
  /** The connection dropped after it had been up (before the first connect it is just connecting). */
  lost: boolean;
  /** The server will not take the chat on this page (unknown site, origin not allowed): nothing is retried. */
  refused: boolean;
  status: ConversationStatus;
  operatorsOnline: number;
  incident: IncidentBanner | null;
  /** While waiting for an operator: the place in the queue and the usual wait. */
  queue: QueuePlace | null;
  items: ChatItem[];
  /** Who is typing on the other side, if anyone. */
  typing: 'bot' | 'operator' | null;
  rating: RatingState;
}

export interface ChatOptions {
  store: WidgetStore;
  connection: VisitorConnection;
  /** How long an emit waits for its ack before the message shows as failed. */
  ackTimeoutMs?: number;
  /** A typing indicator hides by itself after this long without news (a lost `typing false`). */
  typingTimeoutMs?: number;
  /** The visitor counts as typing until this long after the last keystroke. */
  visitorTypingIdleMs?: number;
  now?: () => Date;
  newId?: () => string;
  /** A bot, operator or system message the visitor has not seen arrived. */
  onIncoming?: (message: MessageDto) => void;
}

export interface Chat {
  state(): ChatState;
  subscribe(listener: () => void): () => void;
  /** Connects (once) and sends what the outbox holds. */
  start(): void;
  /** False when the text is empty or too long. */
  send(text: string): boolean;
  retry(clientMessageId: string): void;
  rate(rating: number): void;
  /** Call on every keystroke; emits `typing` true/false at the edges only. */
  noteTyping(): void;
  /** Another tab wrote to storage. */
  syncFromStorage(key: StoreKey): void;
  /** Remembers what the page told about its visitor; the server hears it now or on the next connect. */
  setProfile(profile: VisitorProfile): Promise<void>;
}

/**
 * The visitor's side of a conversation, without DOM: merges what the server sends, keeps the
 * cursor and the outbox in storage, and tracks delivery of each visitor message.
 */
/** First automatic re-send of a message the server could not store, doubling up to the max. */
const AUTO_RETRY_FIRST_MS = 2000;
const AUTO_RETRY_MAX_MS = 30_000;
/** Error codes that mean "not now" rather than "not this": the database is away, or the server is busy. */
const RETRYABLE = new Set(['unavailable', 'busy']);

export function createChat(options: ChatOptions): Chat {
  const { store, connection } = options;
  const ackMs = options.ackTimeoutMs ?? 10_000;
  const typingMs = options.typingTimeoutMs ?? 30_000;
  const idleMs = options.visitorTypingIdleMs ?? 3_000;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? randomId;

  /** Delivery of outbox entries sent from this tab; entries of other tabs show as sending. */
  const delivery = new Map<string, DeliveryState>();
  const inFlight = new Set<string>();
  /** Automatic re-sends so far, per client message id (for the backoff). */
  const autoRetries = new Map<string, number>();
  const listeners = new Set<() => void>();
  let messages = store.messages();
  let started = false;
  let fetching = false;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let visitorTyping = false;
  let visitorTypingTimer: ReturnType<typeof setTimeout> | undefined;

  /** What the server said when it refused a message for good (shown beside it), per client message id. */
  const refusals = new Map<string, ErrorBody>();
  const itemsNow = () =>
    buildItems(
      messages,
      store.outbox(),
      (id) => delivery.get(id) ?? 'sending',
      (id) => (delivery.get(id) === 'failed' ? refusals.get(id) : undefined),
    );
  let state: ChatState = {
    connected: false,
    lost: false,
    refused: false,
    status: 'BOT',
    operatorsOnline: 0,
    incident: null,
    queue: null,
    items: itemsNow(),
    typing: null,
    rating: 'hidden',
  };
  const update = (patch: Partial<ChatState>) => {
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
  };
  const refresh = () => update({ items: itemsNow() });
  const known = (id: string) => messages.some((m) => m.id === id);

  /**
   * Bot, operator and system messages this tab has announced (or held at load). Kept apart from
   * the stored list: another tab may store a reply before this tab's socket brings it, and the
   * tab with the visitor's attention must still announce it, once.
   */
  const announced = new Set(messages.map((m) => m.id));
  const announce = (list: readonly MessageDto[]) => {
    for (const m of list) {
      if (m.author === 'visitor' || announced.has(m.id)) continue;
      announced.add(m.id);
      options.onIncoming?.(m);
    }
  };

  /** Stores incoming messages; `authoritative` when the server said "this is everything after the cursor". */
  const absorb = (incoming: readonly MessageDto[], authoritative: boolean, latest?: MessageDto) => {
    for (const m of incoming) {
      if (m.author === 'visitor' && m.clientMessageId) {
        store.removeFromOutbox(m.clientMessageId);
        delivery.delete(m.clientMessageId);
      }
    }
    // Merge with what other tabs stored meanwhile, so no tab overwrites another's messages.
    store.setMessages(mergeMessages(mergeMessages(store.messages(), messages), incoming));
    messages = store.messages();
    let cursor = advanceCursor(store.cursor(), messages, latest);
    if (authoritative) cursor = settleCursor(cursor, messages);
    store.setCursor(cursor);
    refresh();
    if (!authoritative && hasGap(cursor, messages)) fetchMissing();
  };

  const fetchMissing = () => {
    // Offline: the next connect's `history` brings everything after the cursor anyway.
    if (fetching || !state.connected) return;
    fetching = true;
    const from = store.cursor();
    connection.historySince(from.lastSeq, ackMs).then(
      (res) => {
        fetching = false;
        if (res.ok) absorb(res.data.messages, store.cursor().conversationId === from.conversationId);
      },
      () => {
        fetching = false;
      },
    );
  };

  const deliver = (entry: OutboxEntry) => {
    const id = entry.clientMessageId;
    if (inFlight.has(id)) return;
    inFlight.add(id);
    delivery.set(id, 'sending');
    refresh();
    const fail = (retryable: boolean, refusal?: ErrorBody) => {
      inFlight.delete(id);
      delivery.set(id, 'failed');
      if (refusal) refusals.set(id, refusal);
      else refusals.delete(id);
      refresh();
      if (retryable) retryLater(entry);
    };
    connection.send({ clientMessageId: id, text: entry.text }, ackMs).then((res) => {
      inFlight.delete(id);
      if (!res.ok) return RETRYABLE.has(res.error.code) ? fail(true) : fail(false, res.error);
      autoRetries.delete(id);
      const message = acknowledged(entry, res.data);
      // A retry the server already stored answers with the same id: keep the copy we have.
      if (known(message.id)) {
        store.removeFromOutbox(id);
        delivery.delete(id);
        refresh();
      } else {
        absorb([message], false, message);
      }
    }, () => fail(true));
  };

  /**
   * The server is up but could not store the message just now (its database is away, or it is
   * busy) or did not answer in time: send it again by itself, backing off, while connected. Re-sending is safe —
   * the server stores a client message id once. (A reconnect re-sends everything anyway.)
   */
  const retryLater = (entry: OutboxEntry) => {
    if (!state.connected) return;
    const attempt = (autoRetries.get(entry.clientMessageId) ?? 0) + 1;
    autoRetries.set(entry.clientMessageId, attempt);
    setTimeout(() => {
      if (state.connected && store.outbox().some((e) => e.clientMessageId === entry.clientMessageId)) deliver(entry);
    }, Math.min(AUTO_RETRY_MAX_MS, AUTO_RETRY_FIRST_MS * 2 ** (attempt - 1)));
  };

  const drainOutbox = () => {
    for (const entry of store.outbox()) deliver(entry);
  };

  const stopTyping = () => {
    clearTimeout(visitorTypingTimer);
    if (visitorTyping) {
      visitorTyping = false;
      connection.typing(false);
    }
  };

  connection.onConnectionChange((connected) => {
    update(connected ? { connected, lost: false } : { connected, lost: true, typing: null });
    if (connected) drainOutbox();
  });
  connection.onRefused(() => update({ refused: true }));
  connection.on('session', (session) => {
    // Another conversation than the handshake named (the last one was resolved): the server
    // sends all of it as `history`, so the cursor starts it from 0.
    if (session.conversationId && session.conversationId !== store.cursor().conversationId) {
      store.setCursor({ conversationId: session.conversationId, lastSeq: 0 });
    }
    update({ status: session.status, operatorsOnline: session.operatorsOnline, incident: session.incident, queue: session.queue });
  });
  connection.on('history', ({ messages: list }) => {
    // A tab that held nothing is seeing the conversation for the first time: nothing to announce.
    const quiet = messages.length === 0;
    absorb(list, true);
    if (quiet) for (const m of list) announced.add(m.id);
    else announce(list);
  });
  connection.on('message:new', (message) => {
    if (message.author !== 'visitor' && state.typing) {
      clearTimeout(typingTimer);
      update({ typing: null });
    }
    absorb([message], false, message);
    announce([message]);
  });
  connection.on('typing', ({ author, typing }) => {
    // Once a human owns the conversation the bot is silent: a bot "typing" planned on another
    // server process before the takeover is stale, not news.
    if (typing && author === 'bot' && (state.status === 'OPERATOR' || state.status === 'RESOLVED')) return;
    clearTimeout(typingTimer);
    update({ typing: typing ? author : null });
    if (typing) typingTimer = setTimeout(() => update({ typing: null }), typingMs);
  });
  connection.on('conversation:status', ({ status }) => {
    const botSilenced = (status === 'OPERATOR' || status === 'RESOLVED') && state.typing === 'bot';
    if (botSilenced) clearTimeout(typingTimer);
    update(botSilenced ? { status, typing: null } : { status });
  });
  connection.on('incident', (incident) => update({ incident }));
  connection.on('queue:place', (queue) => update({ queue }));
  connection.on('operators:online', ({ count }) => update({ operatorsOnline: count }));
  connection.on('rating:request', () => update({ rating: 'asked' }));

  const start = () => {
    if (started) return;
    started = true;
    connection.open();
    // Sent now and buffered by the socket until it connects; a dead server turns them failed.
    drainOutbox();
  };

  return {
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    start,
    send(text) {
      const body = text.trim();
      if (!body || body.length > LIMITS.messageMaxChars) return false;
      const entry: OutboxEntry = { clientMessageId: newId(), text: body, createdAt: now().toISOString() };
      store.addToOutbox(entry);
      stopTyping();
      start();
      deliver(entry);
      return true;
    },
    retry(clientMessageId) {
      const entry = store.outbox().find((e) => e.clientMessageId === clientMessageId);
      if (!entry) return;
      start();
      deliver(entry);
    },
    rate(rating) {
      if (state.rating !== 'asked' && state.rating !== 'failed') return;
      update({ rating: 'sending' });
      connection.rate(rating, ackMs).then(
        (res) => update({ rating: res.ok ? 'done' : 'failed' }),
        () => update({ rating: 'failed' }),
      );
    },
    noteTyping() {
      if (!visitorTyping && state.connected) {
        visitorTyping = true;
        connection.typing(true);
      }
      clearTimeout(visitorTypingTimer);
      visitorTypingTimer = setTimeout(stopTyping, idleMs);
    },
    async setProfile(profile) {
      const before = store.profile();
      const merged = { ...before, ...profile };
      store.setProfile(merged);
      // Offline, the next handshake carries it (transport reads the profile at every connect).
      if (!state.connected) return;
      const res = await connection.profile(merged, ackMs).catch(() => null);
      if (res && !res.ok) {
        store.setProfile(before); // a refused profile would only be refused again at every connect
        throw new Error(res.error.message);
      }
    },
    syncFromStorage(key) {
      if (key !== 'messages' && key !== 'outbox') return;
      messages = mergeMessages(messages, store.messages());
      refresh();
      if (key === 'messages') announce(messages);
    },
  };
}
