/** `POST /api/operators/login` → a session; failures become a LoginError with the server's message. */
import type { ErrorBody, OperatorProfile } from '@support-chat/protocol';
import { t } from '../i18n/index.ts';
import type { Session } from '../session.ts';

export class LoginError extends Error {
  override name = 'LoginError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function logIn(email: string, password: string, fetchFn: typeof fetch = fetch): Promise<Session> {
  let res: Response;
  try {
    res = await fetchFn('/api/operators/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  } catch {
    throw new LoginError('network', t('errors.network'));
  }
  const body = (await res.json().catch(() => null)) as { token?: string; operator?: OperatorProfile; error?: ErrorBody } | null;
  if (!res.ok || !body?.token || !body.operator) {
    throw new LoginError(body?.error?.code ?? `http_${res.status}`, body?.error?.message ?? `Login failed (HTTP ${res.status})`);
  }
  return { token: body.token, operator: body.operator };
}

/** `POST /api/operators/logout`: the server revokes the token (and the operator's other sessions). Best effort: the console forgets the session either way. */
export async function logOut(token: string, fetchFn: typeof fetch = fetch): Promise<void> {
  try {
    await fetchFn('/api/operators/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  } catch {
    /* offline: the token still expires on its own */
  }
}
