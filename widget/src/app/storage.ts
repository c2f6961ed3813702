import { LIMITS, type MessageDto, type VisitorProfile } from '@support-chat/protocol';
import { randomId } from './ids.ts';

/**
 * Key-value persistence with a memory fallback. localStorage throws in Safari private mode
 * (quota 0), when cookies are disabled (SecurityError on access) and when full; the widget must
 * keep working in all of these, it just forgets on reload.
 */
export interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
  /** False when everything lives in memory only (no reload survival, no cross-tab sync). */
  readonly persistent: boolean;
}

export function memoryKeyValue(): KeyValue {
  const map = new Map<string, string>();
  return {
    persistent: false,
    get: (key) => map.get(key) ?? null,
    set: (key, value) => void map.set(key, value),
    remove: (key) => void map.delete(key),
  };
}

/** Opens `localStorage` (or what `getStorage` returns), falling back to memory if it is unusable. */
export function openKeyValue(getStorage: () => Storage | null | undefined = () => globalThis.localStorage): KeyValue {
  let storage: Storage | null | undefined;
  try {
    storage = getStorage();
    if (storage) {
      const probe = '__sc_probe__';
      storage.setItem(probe, probe);
      storage.removeItem(probe);
    }
  } catch {
    storage = null;
  }
  if (!storage) return memoryKeyValue();
  const s = storage;
  // Writes that fail later (quota) are kept in memory so this tab still sees its own state.
  const shadow = memoryKeyValue();
  const shadowed = new Set<string>();
  return {
    persistent: true,
    get(key) {
      if (shadowed.has(key)) return shadow.get(key);
      try {
        return s.getItem(key);
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        s.setItem(key, value);
        shadowed.delete(key);
      } catch {
        shadowed.add(key);
        shadow.set(key, value);
      }
    },
    remove(key) {
      shadowed.delete(key);
      try {
        s.removeItem(key);
      } catch {
        /* nothing to undo */
      }
    },
  };
}

/** A visitor message the server has not acknowledged yet; re-sent after reconnect or reload. */
export interface OutboxEntry {
  clientMessageId: string;
  text: string;
  createdAt: string;
}

/** Where the widget resumes: the server sends everything after `lastSeq` of `conversationId`. */
export interface Cursor {
  conversationId: string | null;
  lastSeq: number;
}


export interface WidgetStoreOptions {
  /** Messages kept for display across reloads. */
  maxMessages?: number;
  newId?: () => string;
}

/** Everything the widget remembers, under `sc:<site>:` keys. Reads go to storage every time so tabs see each other's writes. */
export interface WidgetStore {
  readonly visitorId: string;
  readonly persistent: boolean;
  cursor(): Cursor;
  setCursor(cursor: Cursor): void;
  messages(): MessageDto[];
  /** Keeps the last `maxMessages`. */
  setMessages(messages: readonly MessageDto[]): void;
  outbox(): OutboxEntry[];
  addToOutbox(entry: OutboxEntry): void;
  removeFromOutbox(clientMessageId: string): void;
  profile(): VisitorProfile;
  setProfile(profile: VisitorProfile): void;
  /** Which piece a `storage` event key belongs to, or null when it is not ours. */
  keyOf(storageKey: string | null): StoreKey | null;
  /** Raw access under this site's prefix, for small flags (e.g. the last focused tab). */
  readonly kv: { get(name: string): string | null; set(name: string, value: string): void; remove(name: string): void };
}

export type StoreKey = 'visitor' | 'cursor' | 'messages' | 'outbox' | 'profile' | 'tab';

export const DEFAULT_MAX_MESSAGES = 100;

export function createWidgetStore(site: string, kv: KeyValue, options: WidgetStoreOptions = {}): WidgetStore {
  const prefix = `sc:${site}:`;
  const max = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
  const read = <T>(key: StoreKey, valid: (v: unknown) => v is T, fallback: T): T => {
    const raw = kv.get(prefix + key);
    if (raw == null) return fallback;
    try {
      const value: unknown = JSON.parse(raw);
      return valid(value) ? value : fallback;
    } catch {
      return fallback;
    }
  };
  const write = (key: StoreKey, value: unknown) => kv.set(prefix + key, JSON.stringify(value));

  let visitorId = read('visitor', isVisitorId, '');
  if (!visitorId) {
    visitorId = (options.newId ?? randomId)();
    write('visitor', visitorId);
  }

  const outbox = () => read('outbox', isOutbox, []);

  return {
    visitorId,
    persistent: kv.persistent,
    cursor: () => read('cursor', isCursor, { conversationId: null, lastSeq: 0 }),
    setCursor: (cursor) => write('cursor', cursor),
    messages: () => read('messages', isMessageList, []),
    setMessages: (messages) => write('messages', messages.slice(-max)),
    outbox,
    addToOutbox(entry) {
      const list = outbox().filter((e) => e.clientMessageId !== entry.clientMessageId);
      list.push(entry);
      write('outbox', list);
    },
    removeFromOutbox(clientMessageId) {
      const list = outbox();
      const rest = list.filter((e) => e.clientMessageId !== clientMessageId);
      if (rest.length !== list.length) write('outbox', rest);
    },
    profile: () => read('profile', isObject, {}) as VisitorProfile,
    setProfile: (profile) => write('profile', profile),
    keyOf(storageKey) {
      if (!storageKey || !storageKey.startsWith(prefix)) return null;
      const key = storageKey.slice(prefix.length);
      return STORE_KEYS.includes(key as StoreKey) ? (key as StoreKey) : null;
    },
    kv: { get: (name) => kv.get(prefix + name), set: (name, value) => kv.set(prefix + name, value), remove: (name) => kv.remove(prefix + name) },
  };
}

const STORE_KEYS: readonly StoreKey[] = ['visitor', 'cursor', 'messages', 'outbox', 'profile', 'tab'];

// Storage may hold anything (an older widget, a curious visitor), so every read is checked.
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isVisitorId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= LIMITS.visitorIdMaxChars;
}
function isCursor(v: unknown): v is Cursor {
  return (
    isObject(v) &&
    (v.conversationId === null || typeof v.conversationId === 'string') &&
    typeof v.lastSeq === 'number' &&
    v.lastSeq >= 0
  );
}
function isOutbox(v: unknown): v is OutboxEntry[] {
  return (
    Array.isArray(v) &&
    v.every((e) => isObject(e) && typeof e.clientMessageId === 'string' && typeof e.text === 'string' && typeof e.createdAt === 'string')
  );
}
function isMessageList(v: unknown): v is MessageDto[] {
  return (
    Array.isArray(v) &&
    v.every((m) => isObject(m) && typeof m.id === 'string' && typeof m.seq === 'number' && typeof m.text === 'string' && typeof m.author === 'string')
  );
}
