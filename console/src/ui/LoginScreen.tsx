import { useState } from 'preact/hooks';
import { logIn } from '../api/login.ts';
import { t } from '../i18n/index.ts';
import type { Session } from '../session.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

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
      setError(t('login.missing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onLoggedIn(await logIn(email.trim(), password));
    } catch (err) {
      setError(err instanceof Error ? err.message : t('login.failed'));
      setBusy(false);
    }
  };

  const message = error ?? reason;
  return (
    <main class="login">
      <form class="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <div class="login-head">
          <h1 id="login-title">{t('app.title')}</h1>
          <LanguageSwitch />
        </div>
        <p class="muted">{t('login.intro')}</p>
        {message && (
          <p class="notice error" role="alert" data-testid="login-error">
            {message}
          </p>
        )}
        <label class="field">
          <span>{t('login.email')}</span>
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
          <span>{t('login.password')}</span>
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
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
