import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { configureAuth } from '@/api/client';
import { beginSignIn, claimsOf, signOutUrl, type Tokens } from './oauth';
import { session } from './session';

export interface AuthState {
  status: 'loading' | 'signedOut' | 'signedIn';
  email?: string;
  userId?: string;
  signIn: (returnTo?: string) => void;
  signOut: () => void;
}

const AuthContext = createContext<AuthState | null>(null);

function stateFrom(t: Tokens | null): Pick<AuthState, 'status' | 'email' | 'userId'> {
  if (!t) return { status: 'signedOut' };
  const c = claimsOf(t.idToken);
  return { status: 'signedIn', email: typeof c.email === 'string' ? c.email : undefined, userId: typeof c.sub === 'string' ? c.sub : undefined };
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<Pick<AuthState, 'status' | 'email' | 'userId'>>(() =>
    session.current() ? stateFrom(session.current()) : { status: 'loading' },
  );

  useEffect(() => {
    const off = session.subscribe((t) => setState(stateFrom(t)));
    configureAuth(
      () => session.token(),
      () => void session.refresh(),
    );
    void session.restore().then((t) => setState(stateFrom(t)));
    return () => {
      off();
    };
  }, []);

  const signIn = useCallback((returnTo?: string) => {
    void beginSignIn(returnTo ?? window.location.pathname + window.location.search);
  }, []);
  const signOut = useCallback(() => {
    session.set(null);
    window.location.assign(signOutUrl());
  }, []);

  const value = useMemo(() => ({ ...state, signIn, signOut }), [state, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
