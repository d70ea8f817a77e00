import { App } from 'antd';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useNavigate } from 'react-router';
import { apiClient, publicApiClient, unwrap } from './api/client.ts';
import type { Me } from './api/types.ts';
import { ApiError, onApiActivity, onSessionProblem } from './api.ts';

type SessionState = {
  me: Me | null;
  loading: boolean;
  /** Re-reads /api/me; null when there is no session. */
  refresh: () => Promise<Me | null>;
  setMe: (me: Me | null) => void;
  logout: () => Promise<void>;
  /** The server ended the session (idle timeout or revoked) while the user was working. */
  timedOut: boolean;
};

const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside SessionProvider');
  return session;
}

/** The signed-in user; only for components rendered behind `RequireSession`. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe needs a signed-in user');
  return me;
}

export type LoginLocationState = {
  from?: string;
  /** A success to announce on the login page (an account just opened), with its username filled in. */
  notice?: string;
  username?: string;
};

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMeState] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [timedOut, setTimedOut] = useState(false);
  const navigate = useNavigate();
  const { message } = App.useApp();
  const meRef = useRef<Me | null>(null);
  const idleTimer = useRef<number | undefined>(undefined);

  const setMe = useCallback((next: Me | null) => {
    meRef.current = next;
    if (next) setTimedOut(false);
    setMeState(next);
  }, []);

  const refresh = useCallback(async () => {
    try {
      const current = await unwrap(publicApiClient.GET('/api/me'));
      setMe(current);
      return current;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setMe(null);
        return null;
      }
      throw error;
    }
  }, [setMe]);

  useEffect(() => {
    refresh()
      .catch(() => setMe(null))
      .finally(() => setLoading(false));
  }, [refresh, setMe]);

  useEffect(() => {
    onSessionProblem((problem) => {
      if (problem === 'unauthenticated') {
        if (!meRef.current) return;
        // RequireSession then sends the user to /login, remembering the page to come back to.
        setTimedOut(true);
        setMe(null);
        message.warning('登录已超时，请重新登录');
        return;
      }
      void refresh().then(() => {
        navigate(problem === 'password_change_required' ? '/setup/password' : '/setup/totp', {
          replace: true,
        });
      });
    });
    return () => onSessionProblem(null);
  }, [message, navigate, refresh, setMe]);

  // The server ends a session after `sessionIdleMinutes` without calls; ask once the window has passed, so the
  // clerk sees "登录已超时" without having to click first.
  useEffect(() => {
    const idleMinutes = me?.sessionIdleMinutes;
    if (!idleMinutes) return;
    const arm = () => {
      window.clearTimeout(idleTimer.current);
      idleTimer.current = window.setTimeout(
        () => {
          void apiClient.GET('/api/me').catch(() => undefined);
        },
        idleMinutes * 60_000 + 5_000,
      );
    };
    arm();
    onApiActivity(arm);
    return () => {
      onApiActivity(null);
      window.clearTimeout(idleTimer.current);
    };
  }, [me?.sessionIdleMinutes]);

  const logout = useCallback(async () => {
    try {
      await publicApiClient.POST('/api/auth/logout');
    } finally {
      setMe(null);
      navigate('/login', { replace: true });
    }
  }, [navigate, setMe]);

  const value = useMemo(
    () => ({ me, loading, refresh, setMe, logout, timedOut }),
    [me, loading, refresh, setMe, logout, timedOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
