import { useState } from 'preact/hooks';
import { logOut } from '../api/login.ts';
import { useLanguage } from '../i18n/use-language.ts';
import { loadSession, saveSession, type Session } from '../session.ts';
import { ConsoleScreen } from './ConsoleScreen.tsx';
import { LoginScreen } from './LoginScreen.tsx';

/** Logged out → the login form (with why, when the server ended the session); logged in → the console. */
export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [reason, setReason] = useState<string | null>(null);
  // Every label is read through t() at render: re-rendering from the root is all a language switch needs.
  useLanguage();

  if (!session) {
    return (
      <LoginScreen
        reason={reason}
        onLoggedIn={(s) => {
          saveSession(s);
          setReason(null);
          setSession(s);
        }}
      />
    );
  }
  return (
    <ConsoleScreen
      session={session}
      onLogout={(why) => {
        // An ordinary log out ends the session on the server too; a refused one is dead already.
        if (why === null) void logOut(session.token);
        saveSession(null);
        setReason(why);
        setSession(null);
      }}
    />
  );
}
