/**
 * The inbox's page cursor: the last row's order key `(createdAt, id)`, opaque to the console
 * (base64url JSON). A keyset, not an offset: rows arriving meanwhile sort before the cursor (they
 * are newer), so the next page neither repeats nor skips a row.
 */
export interface PageKey {
  createdAt: Date;
  id: string;
}

export function encodeCursor(key: { createdAt: string | Date; id: string }): string {
  const at = typeof key.createdAt === 'string' ? key.createdAt : key.createdAt.toISOString();
  return Buffer.from(JSON.stringify([at, key.id])).toString('base64url');
}

/** Null for anything that is not a cursor this server made. */
export function decodeCursor(cursor: string): PageKey | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, id] = value as unknown[];
    if (typeof at !== 'string' || typeof id !== 'string' || id.length === 0 || id.length > 100) return null;
    const createdAt = new Date(at);
    return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id };
  } catch {
    return null;
  }
}
