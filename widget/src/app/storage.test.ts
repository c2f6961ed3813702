import { describe, expect, it } from 'vitest';
import { FakeStorage, message } from './fakes.ts';
import { createWidgetStore, openKeyValue } from './storage.ts';

describe('openKeyValue', () => {
  it('falls back to memory when reaching localStorage throws (cookies disabled)', () => {
    const kv = openKeyValue(() => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    });
    expect(kv.persistent).toBe(false);
    kv.set('a', '1');
    expect(kv.get('a')).toBe('1');
  });

  it('falls back to memory when setItem throws (Safari private mode)', () => {
    const storage = new FakeStorage();
    storage.setItem = () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    const kv = openKeyValue(() => storage);
    expect(kv.persistent).toBe(false);
    kv.set('a', '1');
    expect(kv.get('a')).toBe('1');
  });

  it('keeps a write in memory when storage becomes full later', () => {
    const storage = new FakeStorage();
    const kv = openKeyValue(() => storage);
    storage.setItem = () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    kv.set('a', '2');
    expect(kv.get('a')).toBe('2');
  });
});

describe('createWidgetStore', () => {
  it('prefixes every key with the site so two sites on one domain do not mix', () => {
    const storage = new FakeStorage();
    const demo = createWidgetStore('demo', openKeyValue(() => storage));
    const other = createWidgetStore('other', openKeyValue(() => storage));
    demo.setCursor({ conversationId: 'c1', lastSeq: 3 });
    expect(other.cursor()).toEqual({ conversationId: null, lastSeq: 0 });
    expect(demo.visitorId).not.toBe(other.visitorId);
    for (let i = 0; i < storage.length; i++) expect(storage.key(i)).toMatch(/^sc:(demo|other):/);
  });

  it('keeps the visitor id across reloads', () => {
    const storage = new FakeStorage();
    const first = createWidgetStore('demo', openKeyValue(() => storage));
    const second = createWidgetStore('demo', openKeyValue(() => storage));
    expect(second.visitorId).toBe(first.visitorId);
  });

  it('keeps an outbox across a reload until each entry is removed', () => {
    const storage = new FakeStorage();
    const before = createWidgetStore('demo', openKeyValue(() => storage));
    before.addToOutbox({ clientMessageId: 'a', text: 'one', createdAt: '2025-01-01T00:00:00Z' });
    before.addToOutbox({ clientMessageId: 'b', text: 'two', createdAt: '2025-01-01T00:00:01Z' });
    const after = createWidgetStore('demo', openKeyValue(() => storage));
    expect(after.outbox().map((e) => e.text)).toEqual(['one', 'two']);
    after.removeFromOutbox('a');
    expect(createWidgetStore('demo', openKeyValue(() => storage)).outbox().map((e) => e.clientMessageId)).toEqual(['b']);
  });

  it('keeps only the last messages', () => {
    const store = createWidgetStore('demo', openKeyValue(() => new FakeStorage()), { maxMessages: 3 });
    store.setMessages([1, 2, 3, 4, 5].map((seq) => message(seq)));
    expect(store.messages().map((m) => m.seq)).toEqual([3, 4, 5]);
  });

  it('ignores corrupted values instead of failing', () => {
    const storage = new FakeStorage();
    storage.setItem('sc:demo:outbox', '{not json');
    storage.setItem('sc:demo:messages', JSON.stringify([{ id: 1 }]));
    storage.setItem('sc:demo:cursor', JSON.stringify({ lastSeq: -4 }));
    const store = createWidgetStore('demo', openKeyValue(() => storage));
    expect(store.outbox()).toEqual([]);
    expect(store.messages()).toEqual([]);
    expect(store.cursor()).toEqual({ conversationId: null, lastSeq: 0 });
  });

  it('tells which of its keys a storage event is about', () => {
    const store = createWidgetStore('demo', openKeyValue(() => new FakeStorage()));
    expect(store.keyOf('sc:demo:outbox')).toBe('outbox');
    expect(store.keyOf('sc:other:outbox')).toBeNull();
    expect(store.keyOf(null)).toBeNull();
  });
});
