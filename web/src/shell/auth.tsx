import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Me } from '../features/platform/api';
import type { SecondFactorAnswer } from '../features/platform/api';
import {
  ApiError,
  completeSecondFactor,
  createSession,
  deleteSession,
  fetchMe,
  switchSessionSubject,
} from '../features/platform/api';
import { useI18n } from './i18n';

/** Who is signed in, as the shell knows it. */
export type AuthState =
  | { status: 'loading' }
  | {
      status: 'anonymous';
      /** Set after an explicit sign-out: where sign-in should lead next (null: the role's entry). */
      signedOut?: { next: string | null };
    }
  | { status: 'signed-in'; user: Me }
  /** `/api/me` failed for another reason than 401: the shell cannot tell who this is. */
  | { status: 'unknown'; message: string };

/** What `useAuth()` gives a component. */
export interface Auth {
  state: AuthState;
  /** The signed-in user, or null. */
  user: Me | null;
  /**
   * Signs in; resolves with the user or rejects with an ApiError to show — code
   * `auth.second_factor_required` when the account's authenticator code is needed next.
   */
  signIn(username: string, password: string): Promise<Me>;
  /** Finishes a sign-in with the authenticator code or a recovery code. */
  completeSignIn(answer: SecondFactorAnswer): Promise<Me>;
  /** Takes the user as a reply gave it (after enrolling a second factor). */
  setUser(user: Me): void;
  /**
   * Signs out; rejects with an ApiError (and stays signed in) when the server did not confirm.
   * `next` is where the following sign-in should lead; by default the next person starts afresh.
   */
  signOut(next?: string): Promise<void>;
  /**
   * Acts for an enterprise the user represents, or as themselves (null) (切换办事主体); resolves
   * with the user as they are afterwards or rejects with an ApiError to show.
   */
  switchSubject(subjectId: string | null): Promise<Me>;
  /** Asks the server again who is signed in. */
  reload(): void;
}

const AuthContext = createContext<Auth | null>(null);

/** Holds the signed-in user, loaded from `GET /api/me` when the app starts. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    // The language is read once per load; the user record carries both languages anyway.
    fetchMe(lang, controller.signal).then(
      (user) => setState(user ? { status: 'signed-in', user } : { status: 'anonymous' }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: 'unknown', message: error instanceof Error ? error.message : '' });
      },
    );
    return () => controller.abort();
    // Deliberately not re-run on a language change: only `reload()` asks the server again.
  }, [generation]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const user = await createSession({ username, password }, lang);
      setState({ status: 'signed-in', user });
      return user;
    },
    [lang],
  );

  const completeSignIn = useCallback(
    async (answer: SecondFactorAnswer) => {
      const user = await completeSecondFactor(answer, lang);
      setState({ status: 'signed-in', user });
      return user;
    },
    [lang],
  );

  const setUser = useCallback((user: Me) => setState({ status: 'signed-in', user }), []);

  const signOut = useCallback(
    async (next?: string) => {
      try {
        await deleteSession(lang);
      } catch (error) {
        // A 401 means the session had already ended; anything else leaves the cookie in place.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
      setState({ status: 'anonymous', signedOut: { next: next ?? null } });
    },
    [lang],
  );

  const switchSubject = useCallback(
    async (subjectId: string | null) => {
      const user = await switchSessionSubject(subjectId, lang);
      setState({ status: 'signed-in', user });
      return user;
    },
    [lang],
  );

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setGeneration((value) => value + 1);
  }, []);

  const value = useMemo<Auth>(
    () => ({
      state,
      user: state.status === 'signed-in' ? state.user : null,
      signIn,
      completeSignIn,
      setUser,
      signOut,
      switchSubject,
      reload,
    }),
    [state, signIn, completeSignIn, setUser, signOut, switchSubject, reload],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** The signed-in user and the sign-in and sign-out actions. */
export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth() must be used inside <AuthProvider>');
  return auth;
}
