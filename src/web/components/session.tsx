import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { AuthStatus, Session } from '../../contract/auth.schema.js';
import { api } from '../api/api.js';
import { setCsrfToken } from '../api/client.js';

interface SessionState {
  status: AuthStatus | null;
  session: Session | null;
  signedIn(session: Session): void;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus | null>(null);

  useEffect(() => {
    api
      .authStatus()
      .then((next) => {
        // No user session says nothing about a participant's: never clear the token a participant page set.
        if (next.session) setCsrfToken(next.session.csrfToken);
        setStatus(next);
      })
      .catch(() => setStatus({ needsSetup: false, session: null, login: { local: true, provider: null } }));
  }, []);

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setStatus((current) => ({ needsSetup: false, session, login: current?.login ?? { local: true, provider: null } }));
  }, []);

  const logout = useCallback(async () => {
    await api.logout().catch(() => undefined);
    setCsrfToken(null);
    setStatus((current) => (current ? { ...current, session: null } : current));
  }, []);

  return <SessionContext.Provider value={{ status, session: status?.session ?? null, signedIn, logout }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const context = useContext(SessionContext);
  if (!context) throw new Error('useSession outside SessionProvider');
  return context;
}
