/**
 * The operator's session lives in sessionStorage: it survives a reload, ends with the tab, and
 * is never shared with other tabs. Storage that throws (privacy modes) falls back to memory.
 */
import type { OperatorProfile } from '@support-chat/protocol';

export interface Session {
  token: string;
  operator: OperatorProfile;
}

const KEY = 'support-chat:console:session';
let memory: string | null = null;

function storage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function isSession(value: unknown): value is Session {
  const v = value as Session | null;
  return (
    typeof v?.token === 'string' &&
    typeof v.operator?.id === 'string' &&
    typeof v.operator.name === 'string' &&
    typeof v.operator.email === 'string' &&
    (v.operator.role === 'owner' || v.operator.role === 'operator') &&
    // A session kept from before sites had teams has no `sites`: log in again.
    Array.isArray(v.operator.sites)
  );
}

export function loadSession(): Session | null {
  let raw: string | null = memory;
  try {
    raw = storage()?.getItem(KEY) ?? memory;
  } catch {
    /* keep memory */
  }
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isSession(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  memory = session ? JSON.stringify(session) : null;
  try {
    if (memory) storage()?.setItem(KEY, memory);
    else storage()?.removeItem(KEY);
  } catch {
    /* memory holds it for this page */
  }
}
