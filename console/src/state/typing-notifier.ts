/**
 * Turns keystrokes into few `typing` events: `true` at most once per `repeatMs` while keys keep
 * coming (so the visitor's indicator stays alive), `false` once input pauses for `idleMs`.
 */
export interface TypingNotifierOptions {
  send: (typing: boolean) => void;
  repeatMs?: number;
  idleMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export interface TypingNotifier {
  /** A keystroke in the reply box. */
  input(): void;
  /** The reply was sent, the box lost its text, or the conversation was left. */
  stop(): void;
}

export function createTypingNotifier({
  send,
  repeatMs = 2500,
  idleMs = 3000,
  now = Date.now,
  setTimer = (fn, ms) => setTimeout(fn, ms),
  clearTimer = (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
}: TypingNotifierOptions): TypingNotifier {
  let typing = false;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let idle: unknown = null;

  const stop = () => {
    if (idle !== null) clearTimer(idle);
    idle = null;
    if (!typing) return;
    typing = false;
    send(false);
  };

  return {
    input() {
      const t = now();
      if (!typing || t - lastSentAt >= repeatMs) {
        typing = true;
        lastSentAt = t;
        send(true);
      }
      if (idle !== null) clearTimer(idle);
      idle = setTimer(stop, idleMs);
    },
    stop,
  };
}
