/**
 * Every acked visitor message is decided exactly once, by some live process. The process that
 * stored a message decides it at once (and retries a failure, see ChatService.decideSoon); this
 * sweep is the net under that: any process leases messages still undecided after `staleMs` —
 * their process died, or kept failing — and decides them, each conversation in sequence order.
 * The store's decision statement is the exactly-once gate, whoever gets there first.
 */
import { BackgroundLoop } from './background-loop.ts';
import type { ChatStore, Clock, UndecidedMessage } from './ports.ts';

export interface UndecidedRecoveryOptions {
  intervalMs: number;
  /** A message younger than this is still its own process's to decide. */
  staleMs: number;
  /** How long a sweep's claim keeps other processes off the message. */
  leaseMs: number;
  batch: number;
}

export const DEFAULT_RECOVERY_OPTIONS: UndecidedRecoveryOptions = { intervalMs: 2000, staleMs: 5000, leaseMs: 15_000, batch: 100 };

export class UndecidedRecovery {
  private readonly loop: BackgroundLoop;

  constructor(
    private readonly deps: {
      store: ChatStore;
      clock: Clock;
      /** Decides one stored message (serialized per conversation by the caller). */
      decide: (conversationId: string, messageId: string) => Promise<unknown>;
      onError: (error: unknown, context: string) => void;
      options?: Partial<UndecidedRecoveryOptions>;
    },
  ) {
    const { intervalMs } = this.options;
    this.loop = new BackgroundLoop(() => this.sweep(), { name: 'undecided message sweep', intervalMs, maxIntervalMs: intervalMs * 2, onError: deps.onError });
  }

  private get options(): UndecidedRecoveryOptions {
    return { ...DEFAULT_RECOVERY_OPTIONS, ...this.deps.options };
  }

  /** Leases and decides what is stale now; returns how many messages were decided. */
  async sweep(): Promise<number> {
    const { staleMs, leaseMs, batch } = this.options;
    const now = this.deps.clock.now().getTime();
    const claimed = await this.deps.store.claimUndecided(new Date(now), new Date(now - staleMs), new Date(now + leaseMs), batch);
    const byConversation = new Map<string, UndecidedMessage[]>();
    for (const m of claimed) byConversation.set(m.conversationId, [...(byConversation.get(m.conversationId) ?? []), m]);
    let decided = 0;
    await Promise.all(
      [...byConversation.values()].map(async (messages) => {
        // In order; after a failure the later ones wait for the next sweep (they depend on it).
        for (const m of messages.sort((a, b) => a.seq - b.seq)) {
          try {
            await this.deps.decide(m.conversationId, m.messageId);
            decided++;
          } catch (error) {
            this.deps.onError(error, 'deciding a recovered message');
            return;
          }
        }
      }),
    );
    return decided;
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
