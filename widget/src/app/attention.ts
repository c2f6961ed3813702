/**
 * Getting the visitor's attention for a new reply: a blinking page title. With several tabs of
 * one site open, only the visible tab (or, if none is, the one focused last) blinks.
 */
export interface AttentionOptions {
  doc?: Document;
  /** Shared between tabs (localStorage under the site prefix): who was focused last. */
  lastTab: { get(): string | null; set(tabId: string): void };
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
  const claim = () => visible() && lastTab.set(tabId);
  claim();
  doc.addEventListener('visibilitychange', claim);
  doc.defaultView?.addEventListener('focus', claim);

  const stop = () => {
    if (timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
    if (doc.title === shown) doc.title = original;
  };

  return {
    notify(text) {
      if (!visible() && lastTab.get() !== tabId) return;
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
