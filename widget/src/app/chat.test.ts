import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChat } from './chat.ts';
import { FakeStorage, fakeConnection, flush, message } from './fakes.ts';
import { createWidgetStore, openKeyValue } from './storage.ts';

const sent = (seq: number, duplicate = false) => ({
  ok: true as const,
  data: { id: `m${seq}`, seq, conversationId: 'c1', createdAt: '2025-01-01T12:00:00Z', duplicate },
});

/** One page load: a store over `storage` and a chat over a fresh fake socket. */
function pageLoad(storage = new FakeStorage()) {
  const store = createWidgetStore('demo', openKeyValue(() => storage));
  const net = fakeConnection();
  let ids = 0;
  const incoming: string[] = [];
  const chat = createChat({
    store,
    connection: net.connection,
    newId: () => `cmid-${++ids}`,
    onIncoming: (m) => incoming.push(m.text),
  });
  return { storage, store, net, chat, incoming };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('sending', () => {
  it('shows a message as sending until the ack, then as sent with the server id', async () => {
    const { chat, net, store } = pageLoad();
    chat.start();
    net.connect();
    expect(chat.send('  hello  ')).toBe(true);
    expect(chat.state().items.map((i) => [i.text, i.state])).toEqual([['hello', 'sending']]);
    expect(net.sends.map((s) => s.payload)).toEqual([{ clientMessageId: 'cmid-1', text: 'hello' }]);

    net.sends[0]!.resolve(sent(1));
    await flush();
    expect(chat.state().items.map((i) => [i.id, i.state])).toEqual([['m1', 'sent']]);
    expect(store.outbox()).toEqual([]);
    expect(store.cursor()).toEqual({ conversationId: 'c1', lastSeq: 1 });
  });

  it('refuses empty and too long text', () => {
    const { chat, net } = pageLoad();
    expect(chat.send('   ')).toBe(false);
    expect(chat.send('x'.repeat(4001))).toBe(false);
    expect(net.sends).toEqual([]);
  });

  it('marks a message failed when the ack times out or is an error, and retry sends it again', async () => {
    const { chat, net } = pageLoad();
    chat.start();
    chat.send('hello');
    net.sends[0]!.reject(new Error('operation has timed out'));
    await flush();
    expect(chat.state().items[0]!.state).toBe('failed');

    chat.retry('cmid-1');
    expect(chat.state().items[0]!.state).toBe('sending');
    net.sends[1]!.resolve({ ok: false, error: { code: 'RATE_LIMITED', message: 'slow down' } });
    await flush();
    expect(chat.state().items[0]!.state).toBe('failed');

    chat.retry('cmid-1');
    net.sends[2]!.resolve(sent(1));
    await flush();
    expect(chat.state().items.map((i) => [i.id, i.state])).toEqual([['m1', 'sent']]);
    expect(net.sends.map((s) => s.payload.clientMessageId)).toEqual(['cmid-1', 'cmid-1', 'cmid-1']);
  });

  it('re-sends by itself, backing off, while the server says it cannot store messages now', async () => {
    vi.useFakeTimers();
    const { chat, net } = pageLoad();
    chat.start();
    net.connect();
    chat.send('hello');
    net.sends[0]!.resolve({ ok: false, error: { code: 'unavailable', message: 'Service temporarily unavailable, please retry' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(chat.state().items[0]!.state).toBe('failed');

    await vi.advanceTimersByTimeAsync(2000);
    expect(net.sends).toHaveLength(2);
    expect(chat.state().items[0]!.state).toBe('sending');
    net.sends[1]!.resolve({ ok: false, error: { code: 'unavailable', message: 'Service temporarily unavailable, please retry' } });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(3999);
    expect(net.sends).toHaveLength(2); // the second wait is twice as long
    await vi.advanceTimersByTimeAsync(1);
    expect(net.sends).toHaveLength(3);
    net.sends[2]!.resolve(sent(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(chat.state().items.map((i) => [i.id, i.state])).toEqual([['m1', 'sent']]);
    expect(net.sends.map((s) => s.payload.clientMessageId)).toEqual(['cmid-1', 'cmid-1', 'cmid-1']);
  });

  it('does not re-send by itself what the server refused for good', async () => {
    vi.useFakeTimers();
    const { chat, net } = pageLoad();
    chat.start();
    net.connect();
    chat.send('hello');
    net.sends[0]!.resolve({ ok: false, error: { code: 'rate_limited', message: 'Too many messages, please wait a minute' } });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(net.sends).toHaveLength(1);
    expect(chat.state().items[0]!.state).toBe('failed');
  });

  it("keeps the server's reason and retry time beside a rate-limited message, until it is sent again", async () => {
    const { chat, net } = pageLoad();
    chat.start();
    net.connect();
    chat.send('hello');
    const refusal = { code: 'rate_limited', message: 'Too many messages: try again in 42 s', retryAfterSeconds: 42 };
    net.sends[0]!.resolve({ ok: false, error: refusal });
    await Promise.resolve();
    await Promise.resolve();
    expect(chat.state().items[0]).toMatchObject({ state: 'failed', refusal });
    chat.retry('cmid-1');
    expect(chat.state().items[0]!.state).toBe('sending');
    expect(chat.state().items[0]!.refusal).toBeUndefined();
  });
});

describe('outbox', () => {
  it('survives a reload and is drained once acked', async () => {
    const first = pageLoad();
    first.chat.start();
    first.chat.send('sent before the reload');
    // The page goes away before any ack.

    const second = pageLoad(first.storage);
    expect(second.chat.state().items.map((i) => [i.text, i.state])).toEqual([['sent before the reload', 'sending']]);
    second.chat.start();
    second.net.connect();
    // Sent once: the connect does not send again what is already waiting for its ack.
    expect(second.net.sends.map((s) => s.payload)).toEqual([{ clientMessageId: 'cmid-1', text: 'sent before the reload' }]);
    second.net.sends[0]!.resolve(sent(1, true));
    await flush();
    expect(second.store.outbox()).toEqual([]);

    const third = pageLoad(first.storage);
    third.chat.start();
    third.net.connect();
    expect(third.net.sends).toEqual([]);
    expect(third.chat.state().items.map((i) => [i.id, i.state])).toEqual([['m1', 'sent']]);
  });

  it('re-sends failed entries after a reconnect', async () => {
    const { chat, net } = pageLoad();
    chat.start();
    chat.send('hello');
    net.sends[0]!.reject(new Error('operation has timed out'));
    await flush();
    net.connect();
    expect(net.sends).toHaveLength(2);
    net.sends[1]!.resolve(sent(1, true));
    await flush();
    expect(chat.state().items.map((i) => i.state)).toEqual(['sent']);
  });

  it('drops the pending copy when the server echoes the message before the ack', async () => {
    const { chat, net, store } = pageLoad();
    chat.start();
    net.connect();
    chat.send('hello');
    net.serverEmits('message:new', message(1, { author: 'visitor', text: 'hello', clientMessageId: 'cmid-1' }));
    expect(chat.state().items.map((i) => [i.id, i.state])).toEqual([['m1', 'sent']]);
    expect(store.outbox()).toEqual([]);
    net.sends[0]!.resolve(sent(1));
    await flush();
    expect(chat.state().items).toHaveLength(1);
  });
});

describe('receiving', () => {
  it('merges history and live messages without duplicates and keeps the cursor', () => {
    const { chat, net, store, incoming } = pageLoad();
    chat.start();
    net.connect();
    net.serverEmits('session', { conversationId: 'c1', status: 'BOT', operatorsOnline: 0, incident: null, queue: null });
    net.serverEmits('history', { messages: [message(1), message(2)] });
    net.serverEmits('message:new', message(2));
    net.serverEmits('message:new', message(3));
    expect(chat.state().items.map((i) => i.seq)).toEqual([1, 2, 3]);
    expect(store.cursor()).toEqual({ conversationId: 'c1', lastSeq: 3 });
    expect(incoming).toEqual(['text 3']);
  });

  it('asks for the missed messages when a seq is skipped', async () => {
    const { chat, net, store } = pageLoad();
    chat.start();
    net.connect();
    net.serverEmits('history', { messages: [message(1)] });
    net.serverEmits('message:new', message(3));
    expect(net.historyRequests.map((r) => r.payload)).toEqual([1]);
    expect(store.cursor().lastSeq).toBe(1);
    net.historyRequests[0]!.resolve({ ok: true, data: { messages: [message(2), message(3)] } });
    await flush();
    expect(chat.state().items.map((i) => i.seq)).toEqual([1, 2, 3]);
    expect(store.cursor().lastSeq).toBe(3);
  });

  it('starts the cursor over when the server is in another conversation', () => {
    const { chat, net, store } = pageLoad();
    store.setCursor({ conversationId: 'old', lastSeq: 7 });
    chat.start();
    net.connect();
    net.serverEmits('session', { conversationId: 'c1', status: 'BOT', operatorsOnline: 1, incident: null, queue: null });
    net.serverEmits('history', { messages: [message(1), message(2)] });
    expect(store.cursor()).toEqual({ conversationId: 'c1', lastSeq: 2 });
  });

  it('shows typing until the reply arrives or typing stops', () => {
    const { chat, net } = pageLoad();
    chat.start();
    net.connect();
    net.serverEmits('typing', { author: 'bot', typing: true });
    expect(chat.state().typing).toBe('bot');
    net.serverEmits('message:new', message(1));
    expect(chat.state().typing).toBeNull();
    net.serverEmits('typing', { author: 'operator', typing: true });
    net.serverEmits('typing', { author: 'operator', typing: false });
    expect(chat.state().typing).toBeNull();
  });

  it('shows no bot typing once an operator owns the conversation', () => {
    const { chat, net } = pageLoad();
    chat.start();
    net.connect();
    net.serverEmits('typing', { author: 'bot', typing: true });
    net.serverEmits('conversation:status', { status: 'OPERATOR', priority: 'NORMAL' });
    expect(chat.state().typing).toBeNull();
    // A bot typing timer armed on another server process before the takeover fires late.
    net.serverEmits('typing', { author: 'bot', typing: true });
    expect(chat.state().typing).toBeNull();
    net.serverEmits('typing', { author: 'operator', typing: true });
    expect(chat.state().typing).toBe('operator');
  });

  it('hides a typing indicator whose `typing false` was lost', () => {
    vi.useFakeTimers();
    const { chat, net } = pageLoad();
    chat.start();
    net.connect();
    net.serverEmits('typing', { author: 'bot', typing: true });
    vi.advanceTimersByTime(30_000);
    expect(chat.state().typing).toBeNull();
  });

  it('keeps the incident banner, presence and rating request from the server', async () => {
    const { chat, net } = pageLoad();
    chat.start();
    net.connect();
    const banner = { id: 'i1', kind: 'MASS_OUTAGE' as const, status: 'OPEN' as const, text: 'Outage in the north' };
    net.serverEmits('incident', banner);
    net.serverEmits('operators:online', { count: 2 });
    net.serverEmits('rating:request', { conversationId: 'c1' });
    expect(chat.state()).toMatchObject({ incident: banner, operatorsOnline: 2, rating: 'asked' });
    chat.rate(5);
    expect(net.ratings.map((r) => r.payload)).toEqual([5]);
    net.ratings[0]!.resolve({ ok: true, data: { rating: 5 } });
    await flush();
    expect(chat.state().rating).toBe('done');
  });
});

describe('connection', () => {
  it('keeps the place in the queue from the session and follows it live until the conversation leaves the queue', () => {
    const { chat, net } = pageLoad();
    chat.start();
    net.connect();
    net.serverEmits('session', { conversationId: 'c1', status: 'WAITING', operatorsOnline: 1, incident: null, queue: { position: 2, estimateMinutes: null } });
    expect(chat.state()).toMatchObject({ status: 'WAITING', queue: { position: 2, estimateMinutes: null } });
    net.serverEmits('queue:place', { position: 1, estimateMinutes: 4 });
    expect(chat.state().queue).toEqual({ position: 1, estimateMinutes: 4 });
    net.serverEmits('queue:place', null);
    expect(chat.state().queue).toBeNull();
  });

  it('tells connecting from a lost connection', () => {
    const { chat, net } = pageLoad();
    chat.start();
    expect(chat.state()).toMatchObject({ connected: false, lost: false });
    net.connect();
    expect(chat.state()).toMatchObject({ connected: true, lost: false });
    net.serverEmits('typing', { author: 'bot', typing: true });
    net.disconnect();
    expect(chat.state()).toMatchObject({ connected: false, lost: true, typing: null });
  });

  it('connects only when started', () => {
    const { chat, net } = pageLoad();
    expect(net.opened()).toBe(0);
    chat.start();
    chat.start();
    expect(net.opened()).toBe(1);
  });
});

describe('tabs', () => {
  it('picks up messages another tab stored', () => {
    const storage = new FakeStorage();
    const a = pageLoad(storage);
    const b = pageLoad(storage);
    a.chat.start();
    a.net.connect();
    a.net.serverEmits('message:new', message(1));
    b.chat.syncFromStorage('messages');
    expect(b.chat.state().items.map((i) => i.id)).toEqual(['m1']);
  });

  it('announces a reply once in every tab, whether its socket or another tab brought it first', () => {
    const storage = new FakeStorage();
    const a = pageLoad(storage);
    const b = pageLoad(storage);
    for (const tab of [a, b]) {
      tab.chat.start();
      tab.net.connect();
    }
    a.net.serverEmits('message:new', message(1));
    b.chat.syncFromStorage('messages');
    b.net.serverEmits('message:new', message(1));
    b.net.serverEmits('message:new', message(2));
    a.chat.syncFromStorage('messages');
    a.net.serverEmits('message:new', message(2));
    expect(a.incoming).toEqual(['text 1', 'text 2']);
    expect(b.incoming).toEqual(['text 1', 'text 2']);
  });

  it('does not announce what the tab already held when it loaded', () => {
    const storage = new FakeStorage();
    const first = pageLoad(storage);
    first.chat.start();
    first.net.connect();
    first.net.serverEmits('message:new', message(1));
    const reloaded = pageLoad(storage);
    reloaded.chat.start();
    reloaded.net.connect();
    reloaded.net.serverEmits('history', { messages: [message(1), message(2)] });
    expect(reloaded.incoming).toEqual(['text 2']);
  });
});

describe('visitor typing', () => {
  it('emits typing at the edges only', () => {
    vi.useFakeTimers();
    const { chat, net } = pageLoad();
    chat.start();
    net.connect();
    chat.noteTyping();
    chat.noteTyping();
    vi.advanceTimersByTime(3_000);
    expect(net.typing).toEqual([true, false]);
  });
});

describe('visitor profile', () => {
  it('keeps the profile for the next handshake while offline, and sends it merged once connected', async () => {
    const { chat, net, store } = pageLoad();
    await chat.setProfile({ name: 'Анна' });
    expect(net.profiles).toEqual([]);
    expect(store.profile()).toEqual({ name: 'Анна' });

    chat.start();
    net.connect();
    const sending = chat.setProfile({ email: 'anna@example.com' });
    expect(net.profiles.map((p) => p.payload)).toEqual([{ name: 'Анна', email: 'anna@example.com' }]);
    net.profiles[0]!.resolve({ ok: true, data: { name: 'Анна', email: 'anna@example.com' } });
    await sending;
    expect(store.profile()).toEqual({ name: 'Анна', email: 'anna@example.com' });
  });

  it('passes the server refusal on to the page and keeps the profile it had', async () => {
    const { chat, net, store } = pageLoad();
    await chat.setProfile({ name: 'Анна' });
    chat.start();
    net.connect();
    const sending = chat.setProfile({ email: 'nope' });
    net.profiles[0]!.resolve({ ok: false, error: { code: 'validation_error', message: 'email: email is not a valid address' } });
    await expect(sending).rejects.toThrow('email is not a valid address');
    expect(store.profile()).toEqual({ name: 'Анна' });
  });
});

describe('a refused handshake', () => {
  it('shows the chat as refused (not connecting, not lost), and nothing opens the connection again', async () => {
    const { chat, net } = pageLoad();
    chat.start();
    expect(chat.state()).toMatchObject({ connected: false, lost: false, refused: false });
    net.refuse();
    expect(chat.state()).toMatchObject({ connected: false, lost: false, refused: true });
    chat.send('hello');
    chat.start();
    await flush();
    expect(net.opened()).toBe(1);
  });
});
