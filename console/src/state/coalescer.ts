/**
 * Runs `run` once for a burst of pokes: the first poke waits `waitMs` for the rest of the burst,
 * pokes while it runs ask for one more run after it. However many events arrive, the work happens
 * at most once per `waitMs` plus its own duration, and never twice at once.
 */
export interface Coalescer {
  poke(): void;
  /** No further runs (a run under way finishes). */
  stop(): void;
}

export function coalescer(run: () => Promise<unknown>, waitMs: number): Coalescer {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let stopped = false;

  const schedule = () => {
    if (timer === undefined) timer = setTimeout(fire, waitMs);
  };
  const fire = async () => {
    timer = undefined;
    running = true;
    try {
      await run();
    } catch {
      // The next poke tries again; a failed refresh leaves what is shown.
    } finally {
      running = false;
      if (again && !stopped) {
        again = false;
        schedule();
      }
    }
  };

  return {
    poke() {
      if (stopped) return;
      if (running) again = true;
      else schedule();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
