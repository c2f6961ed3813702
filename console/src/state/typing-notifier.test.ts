import { describe, expect, it } from 'vitest';
import { createTypingNotifier } from './typing-notifier.ts';

function fakeClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (id: unknown) => {
      timers = timers.filter((t) => t.id !== id);
    },
    advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
  };
}

describe('typing notifier', () => {
  it('sends true once for a burst of keystrokes and false after the pause', () => {
    const clock = fakeClock();
    const sent: boolean[] = [];
    const typing = createTypingNotifier({ send: (t) => sent.push(t), repeatMs: 2500, idleMs: 3000, ...clock });
    for (let i = 0; i < 10; i++) {
      typing.input();
      clock.advance(100);
    }
    expect(sent).toEqual([true]);
    clock.advance(3000);
    expect(sent).toEqual([true, false]);
  });

  it('repeats true while typing goes on longer than repeatMs', () => {
    const clock = fakeClock();
    const sent: boolean[] = [];
    const typing = createTypingNotifier({ send: (t) => sent.push(t), repeatMs: 2500, idleMs: 3000, ...clock });
    for (let i = 0; i < 30; i++) {
      typing.input();
      clock.advance(200);
    }
    expect(sent.filter(Boolean).length).toBe(3);
    expect(sent).not.toContain(false);
  });

  it('stop sends false only when true was sent, and only once', () => {
    const clock = fakeClock();
    const sent: boolean[] = [];
    const typing = createTypingNotifier({ send: (t) => sent.push(t), ...clock });
    typing.stop();
    expect(sent).toEqual([]);
    typing.input();
    typing.stop();
    typing.stop();
    clock.advance(10_000);
    expect(sent).toEqual([true, false]);
  });
});
