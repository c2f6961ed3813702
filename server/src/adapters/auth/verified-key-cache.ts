/**
 * REST keys this process verified lately, so a busy caller costs no database read per request.
 * Entries are held by the SHA-256 of the presented key (never the key itself). An entry is served
 * only while the read that last confirmed it active started less than `recheckMs` ago. Past half
 * that age a request starts a re-read of every cached key in one query (concurrent requests share
 * it) and is answered at once, so a steady caller never waits for it; past the full age a request
 * waits for the re-read before being answered. A key revoked anywhere — another server, the CLI, the console — is therefore
 * refused within `recheckMs`, and one revoked through this process at once (`forgetKey`).
 * Unknown keys are not cached, so made-up keys cannot fill the memory.
 */
import type { Clock } from '../../services/ports.ts';

export interface VerifiedKey {
  keyId: string;
  siteKey: string;
}

export interface VerifiedKeyCacheOptions {
  clock: Clock;
  /** Which of these key ids are still active (not revoked, not deleted), with their site's key. */
  stillActive: (keyIds: string[]) => Promise<VerifiedKey[]>;
  recheckMs?: number;
  maxEntries?: number;
}

export const KEY_RECHECK_MS = 1000;
const MAX_ENTRIES = 1000;

export class VerifiedKeyCache {
  private readonly entries = new Map<string, VerifiedKey & { confirmedAt: number }>();
  private recheck: Promise<void> | null = null;
  /** When a key was last revoked here: a read that started before then may have seen it active. */
  private forgottenAt = -Infinity;
  private readonly recheckMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: VerifiedKeyCacheOptions) {
    this.recheckMs = options.recheckMs ?? KEY_RECHECK_MS;
    this.maxEntries = options.maxEntries ?? MAX_ENTRIES;
  }

  /** The time to pass to `add` for a read starting now. */
  now(): number {
    return this.options.clock.now().getTime();
  }

  /** The cached key for this hash, re-confirmed first if its last confirmation is too old; null if not cached (or no longer active). */
  async get(hash: string): Promise<VerifiedKey | null> {
    let entry = this.entries.get(hash);
    if (!entry) return null;
    const age = this.now() - entry.confirmedAt;
    // Ahead of time, off this request's path (a failure here is the waiting request's to report).
    if (age >= this.recheckMs / 2) this.recheckAll().catch(() => undefined);
    if (age >= this.recheckMs) {
      await this.recheckAll();
      entry = this.entries.get(hash);
      if (!entry) return null;
    }
    return { keyId: entry.keyId, siteKey: entry.siteKey };
  }

  /** A key found active by a read that started at `readStartedAt`. */
  add(hash: string, key: VerifiedKey, readStartedAt: number): void {
    if (readStartedAt <= this.forgottenAt) return;
    this.entries.delete(hash);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, { ...key, confirmedAt: readStartedAt });
  }

  forgetKey(keyId: string): void {
    this.forgottenAt = this.now();
    for (const [hash, entry] of this.entries) if (entry.keyId === keyId) this.entries.delete(hash);
  }

  private recheckAll(): Promise<void> {
    this.recheck ??= this.readActive().finally(() => (this.recheck = null));
    return this.recheck;
  }

  private async readActive(): Promise<void> {
    const startedAt = this.now();
    const snapshot = [...this.entries];
    const active = new Map((await this.options.stillActive([...new Set(snapshot.map(([, e]) => e.keyId))])).map((k) => [k.keyId, k.siteKey]));
    for (const [hash, entry] of snapshot) {
      // Replaced or forgotten while the read ran: what is there now is newer than this read.
      if (this.entries.get(hash) !== entry) continue;
      const siteKey = active.get(entry.keyId);
      if (siteKey === undefined) this.entries.delete(hash);
      else this.entries.set(hash, { keyId: entry.keyId, siteKey, confirmedAt: startedAt });
    }
  }
}
