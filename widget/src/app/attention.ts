/**
 * Getting the visitor's attention for a new reply: a blinking page title. With several tabs of
 * one site open, exactly one tab blinks: the one the visitor looked at last. Tabs record that in
 * shared storage when they gain focus or become visible; a closing tab gives it up, and then the
 * first visible tab to hear news takes it.
 */
export interface AttentionOptions {
  doc?: Document;
  /** Shared between tabs (localStorage under the site prefix): the tab with the visitor's attention. */
  lastTab: { get(): string | null; set(tabId: string): void; clear(): void };
  tabId: string;
  intervalMs?: number;
}

export interface Attention {
  /** Starts (or updates) the title blink when this tab is the one to notify. */
  notify(text: string): void;
  stop(): void;
}

export function createAttention({ doc = document, lastTab, tabId, intervalMs = 1000 }: AttentionOptions): Attention {
  let timer: ReturnType<typeof setInterval> | undefined;
  let original = '';
  let shown = '';
  const visible = () => doc.visibilityState === 'visible';
  const claimIfVisible = () => visible() && lastTab.set(tabId);
  claimIfVisible();
  doc.addEventListener('visibilitychange', claimIfVisible);
  doc.defaultView?.addEventListener('focus', () => lastTab.set(tabId));

  const stop = () => {
    if (timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
    if (doc.title === shown) doc.title = original;
  };
  doc.defaultView?.addEventListener('pagehide', () => {
    stop();
    if (lastTab.get() === tabId) lastTab.clear();
  });

  return {
    notify(text) {
      const owner = lastTab.get();
      if (owner !== tabId) {
        if (owner !== null || !visible()) return;
        lastTab.set(tabId);
      }
      shown = `💬 ${text}`;
      if (timer !== undefined) return;
      original = doc.title;
      timer = setInterval(() => {
        // The page may retitle itself meanwhile (SPA navigation): follow it.
        if (doc.title !== shown) original = doc.title;
        doc.title = doc.title === shown ? original : shown;
      }, intervalMs);
    },
    stop,
  };
}
