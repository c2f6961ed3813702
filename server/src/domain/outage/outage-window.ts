/**
 * Mass-outage detection (seeds: MASS_OUTAGE). OUTAGE_REPORT messages from `threshold` distinct
 * visitors of one site within `windowMs` open an incident. The window itself is stored by an
 * adapter (a Redis sorted set, or memory); these functions decide over what it holds.
 */
export interface OutageOptions {
  threshold: number;
  windowMs: number;
}

/** Latest report time per visitor, as the adapters keep it. */
export type OutageWindow = Map<string, number>;

export function recordReport(window: OutageWindow, visitorId: string, at: number, options: OutageOptions): OutageWindow {
  const next: OutageWindow = new Map();
  for (const [visitor, time] of window) if (at - time < options.windowMs) next.set(visitor, time);
  next.set(visitorId, at);
  return next;
}

export function isMassOutage(distinctReporters: number, options: OutageOptions): boolean {
  return distinctReporters >= options.threshold;
}
