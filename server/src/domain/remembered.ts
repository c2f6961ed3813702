/**
 * A bounded memo for pure functions of a message's text. The bot re-reads the last dozen messages
 * of a conversation at every new one (classifier normalization, escalation facts, language), so
 * each text is analysed once while it is recent. No clock: the oldest entry goes when it is full.
 */
const REMEMBERED = 2000;

export function remembered<T>(memo: Map<string, T>, key: string, compute: () => T): T {
  const known = memo.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (memo.size >= REMEMBERED) memo.delete(memo.keys().next().value!);
  memo.set(key, value);
  return value;
}
