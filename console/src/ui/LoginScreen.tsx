import { useState } from 'preact/hooks';
import { logIn } from '../api/login.ts';
import type { Session } from '../session.ts';

export interface LoginScreenProps {
  /** Why the operator is here again (session expired, logged out elsewhere). */
  reason: string | null;
  onLoggedIn: (session: Session) => void;
}

export function LoginScreen({ reason, onLoggedIn }: LoginScreenProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!email.trim() || !password) {
      setError('Enter your email and password');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onLoggedIn(await logIn(email.trim(), password));
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Login failed');
      setBusy(false);
    }
  };

  const message = error ?? reason;
  return (
    <main class="login">
      <form class="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <h1 id="login-title">Support console</h1>
        <p class="muted">Log in with your operator account.</p>
        {message && (
          <p class="notice error" role="alert" data-testid="login-error">
            {message}
          </p>
        )}
        <label class="field">
          <span>Email</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>Password</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary wide" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
