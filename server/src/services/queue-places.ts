/**
 * Tells waiting visitors where they stand: their place in the site's queue and how long the
 * site's visitors usually wait for an operator's first answer. Announced to every waiting visitor
 * of a site whenever its queue moves (an escalation, a claim, a resolve, a hand-back), and read
 * for a visitor's session on every connect.
 */
import type { QueuePlace } from '@support-chat/protocol';
import { estimateWaitMinutes, queuePlaces, type WaitEstimateOptions } from '../domain/queue/waiting-queue.ts';
import type { ChatStore, Clock, Realtime } from './ports.ts';

export interface QueuePlacesOptions extends WaitEstimateOptions {
  /** First responses older than this do not count. */
  windowMs: number;
  /** The latest this many first responses count. */
  samples: number;
  /** A site's estimate is recomputed at most this often. */
  cacheMs: number;
}

export const QUEUE_PLACES_DEFAULTS: QueuePlacesOptions = { minSamples: 3, windowMs: 7 * 24 * 3600_000, samples: 20, cacheMs: 60_000 };

export class QueuePlaces {
  private readonly estimates = new Map<string, { minutes: number | null; until: number }>();
  private readonly options: QueuePlacesOptions;

  constructor(
    private readonly deps: {
      store: Pick<ChatStore, 'waitingConversations' | 'recentFirstResponses'>;
      realtime: Pick<Realtime, 'queuePlace'>;
      clock: Clock;
      onError: (error: unknown, context: string) => void;
      options?: Partial<QueuePlacesOptions>;
    },
  ) {
    this.options = { ...QUEUE_PLACES_DEFAULTS, ...deps.options };
  }

  /** "Usually answered in ~M min" for the site: the median of its recent first responses, or null. */
  async estimateMinutes(siteId: string): Promise<number | null> {
    const now = this.deps.clock.now().getTime();
    const cached = this.estimates.get(siteId);
    if (cached && cached.until > now) return cached.minutes;
    const samples = await this.deps.store.recentFirstResponses(siteId, new Date(now - this.options.windowMs), this.options.samples);
    const minutes = estimateWaitMinutes(samples, this.options);
    this.estimates.set(siteId, { minutes, until: now + this.options.cacheMs });
    return minutes;
  }

  /** The conversation's place, or null when it is not waiting. */
  async placeOf(siteId: string, conversationId: string): Promise<QueuePlace | null> {
    const position = queuePlaces(await this.deps.store.waitingConversations(siteId)).get(conversationId);
    return position ? { position, estimateMinutes: await this.estimateMinutes(siteId) } : null;
  }

  /** The site's queue moved: every waiting visitor hears their place; `left` (claimed, resolved, handed back) hears null. */
  announce(siteId: string, left?: string): void {
    void this.announceNow(siteId, left).catch((error) => this.deps.onError(error, 'announcing queue places'));
  }

  private async announceNow(siteId: string, left?: string): Promise<void> {
    const places = queuePlaces(await this.deps.store.waitingConversations(siteId));
    const estimateMinutes = places.size > 0 ? await this.estimateMinutes(siteId) : null;
    if (left && !places.has(left)) this.deps.realtime.queuePlace(left, null);
    for (const [conversationId, position] of places) this.deps.realtime.queuePlace(conversationId, { position, estimateMinutes });
  }
}
