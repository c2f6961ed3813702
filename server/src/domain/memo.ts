/**
 * A bounded memo for pure functions of a message's text. The bot re-reads the last dozen messages
 * of a conversation at every new one (classifier normalization, escalation facts, language), so
 * each text is analysed once while it is recent. No clock.
 *
 * Two generations instead of an exact oldest-first order: when the current one is full it becomes
 * the previous one and the one before is dropped; a text asked again from the previous generation
 * moves into the current one. Dropping the oldest entry of one Map instead costs a walk over the
 * entries deleted before it at every insert (~1 µs each at 2,000 entries, several per message).
 */
export class Memo<T> {
  private current = new Map<string, T>();
  private previous = new Map<string, T>();

  /** Keeps between `size` and twice `size` recent entries. */
  constructor(private readonly size = 2000) {}

  remember(key: string, compute: () => T): T {
    const known = this.current.get(key);
    if (known !== undefined) return known;
    const value = this.previous.has(key) ? this.previous.get(key)! : compute();
    if (this.current.size >= this.size) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
    return value;
  }
}
