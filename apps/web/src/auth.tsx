import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Navigate, Outlet } from 'react-router-dom';
import { api, ApiError, onUnauthorized, type Practice, type Role, type User } from './api';

const PRACTICE_KEY = 'recall.practice';
const SESSION_ENDED = 'Your session ended. Please sign in again.';

/** After the password: signed in, or a second step (a code, or setting up an authenticator app). */
export type LoginStep = { next: 'done' } | { next: 'code' | 'enroll'; challengeToken: string };

interface Session {
  user: User | null;
  /** The practice the user is working in; null when they have none. */
  practice: Practice | null;
  selectPractice(slug: string): void;
  /** A message for the login page, e.g. after the session expired. */
  notice: string | null;
  login(login: string, password: string): Promise<LoginStep>;
  /** Ends a second step: the server opened the session for `user`. */
  signedIn(user: User): void;
  logout(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() must be used inside <SessionProvider>');
  return session;
}

/** Like useSession(), for pages that are only rendered for a signed-in user. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error('useUser() must be used behind <RequireRole>');
  return user;
}

export const homePath = (role: Role) => `/${role}`;

export function SessionProvider({ children }: { children: ReactNode }) {
  const [ready, setReady] = useState(false);
  const [user, setUser] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [practiceSlug, setPracticeSlug] = useState(() => localStorage.getItem(PRACTICE_KEY));

  useEffect(() => {
    onUnauthorized(() => {
      setUser(null);
      setNotice(SESSION_ENDED);
    });
    api<{ user: User }>('/api/auth/me', { allow401: true })
      .then(({ user }) => setUser(user))
      .catch(() => setUser(null))
      .finally(() => setReady(true));
    return () => onUnauthorized(undefined);
  }, []);

  const selectPractice = useCallback((slug: string) => {
    localStorage.setItem(PRACTICE_KEY, slug);
    setPracticeSlug(slug);
  }, []);

  const signedIn = useCallback((user: User) => {
    setNotice(null);
    setUser(user);
  }, []);

  const login = useCallback(
    async (login: string, password: string): Promise<LoginStep> => {
      const answer = await api<
        { user: User } | { mfaRequired?: true; mfaEnrollmentRequired?: true; challengeToken: string }
      >('/api/auth/login', {
        method: 'POST',
        body: { login, password },
        allow401: true,
      });
      if ('user' in answer) {
        signedIn(answer.user);
        return { next: 'done' };
      }
      return { next: answer.mfaRequired ? 'code' : 'enroll', challengeToken: answer.challengeToken };
    },
    [signedIn],
  );

  const logout = useCallback(async () => {
    try {
      await api('/api/auth/logout', { method: 'POST', allow401: true });
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    setNotice(null);
    setUser(null);
  }, []);

  const session = useMemo<Session>(() => {
    const practices = user?.practices ?? [];
    const practice = practices.find((p) => p.slug === practiceSlug) ?? practices[0] ?? null;
    return { user, practice, selectPractice, notice, login, signedIn, logout };
  }, [user, practiceSlug, selectPractice, notice, login, signedIn, logout]);

  if (!ready) {
    return (
      <p className="boot" role="status">
        Loading Recall…
      </p>
    );
  }
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** Renders the nested routes for a signed-in user of `role` (any role when omitted); redirects everyone else. */
export function RequireRole({ role, children }: { role?: Role; children?: ReactNode }) {
  const { user } = useSession();
  if (!user) return <Navigate to="/login" replace />;
  if (role && user.role !== role) return <Navigate to={homePath(user.role)} replace />;
  return children ?? <Outlet />;
}
