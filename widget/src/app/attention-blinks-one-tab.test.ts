import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttention } from './attention.ts';

/** A tab: a document with a title and visibility, its window, and the storage all tabs share. */
function tab(shared: Map<string, string>, id: string, visibility: 'visible' | 'hidden') {
  const win = new EventTarget();
  const doc = Object.assign(new EventTarget(), { title: 'СеверНет', visibilityState: visibility, defaultView: win });
  const attention = createAttention({
    doc: doc as unknown as Document,
    tabId: id,
    intervalMs: 100,
    lastTab: { get: () => shared.get('tab') ?? null, set: (t) => void shared.set('tab', t), clear: () => void shared.delete('tab') },
  });
  const setVisibility = (v: 'visible' | 'hidden') => {
    doc.visibilityState = v;
    doc.dispatchEvent(new Event('visibilitychange'));
  };
  /** True when the title changed to the blink within one interval. */
  const blinks = () => {
    vi.advanceTimersByTime(100);
    return doc.title.startsWith('💬');
  };
  return { doc, win, attention, setVisibility, blinks };
}

describe('title blink with several tabs', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('blinks only in the tab looked at last when two tabs are visible side by side', () => {
    const shared = new Map<string, string>();
    const a = tab(shared, 'a', 'visible');
    const b = tab(shared, 'b', 'visible');
    a.win.dispatchEvent(new Event('focus'));
    a.attention.notify('Новое сообщение');
    b.attention.notify('Новое сообщение');
    expect([a.blinks(), b.doc.title.startsWith('💬')]).toEqual([true, false]);
  });

  it('moves to the tab that becomes visible, and stays with it when every tab is hidden', () => {
    const shared = new Map<string, string>();
    const a = tab(shared, 'a', 'visible');
    const b = tab(shared, 'b', 'hidden');
    a.setVisibility('hidden');
    b.setVisibility('visible');
    b.setVisibility('hidden');
    a.attention.notify('Новое сообщение');
    b.attention.notify('Новое сообщение');
    expect([a.doc.title.startsWith('💬'), b.blinks()]).toEqual([false, true]);
  });

  it('hands over when the tab with attention closes: the first visible tab to hear news takes it', () => {
    const shared = new Map<string, string>();
    const a = tab(shared, 'a', 'visible');
    const b = tab(shared, 'b', 'visible');
    const c = tab(shared, 'c', 'hidden');
    b.win.dispatchEvent(new Event('pagehide'));
    c.attention.notify('Новое сообщение');
    a.attention.notify('Новое сообщение');
    expect([a.blinks(), c.doc.title.startsWith('💬')]).toEqual([true, false]);
    expect(shared.get('tab')).toBe('a');
  });

  it('stop restores the page title', () => {
    const a = tab(new Map(), 'a', 'visible');
    a.attention.notify('Новое сообщение');
    expect(a.blinks()).toBe(true);
    a.attention.stop();
    expect(a.doc.title).toBe('СеверНет');
  });
});
