import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import type { Api } from './api';
import { HomeScreen } from './features/home/home-screen';
import { createSessionStore } from './features/session/session-store';
import { SignInScreen } from './features/session/sign-in-screen';

/** Signed out: the sign-in screen. Signed in: the handler's home. */
export function App({ api }: { api: Api }) {
  const sessions = useMemo(() => createSessionStore(api), [api]);
  useEffect(() => {
    void sessions.getState().load();
    return () => sessions.dispose();
  }, [sessions]);
  const state = useStore(sessions);
  if (!state.session) return <p className="loading">Loading…</p>;
  if (state.session.status === 'signed-out') {
    return <SignInScreen busy={state.busy} problem={state.problem} embedded={state.embedded} onSignIn={(email, password) => void state.signIn(email, password)} />;
  }
  return <HomeScreen api={api} session={state.session} sync={state.sync} onSignOut={() => void state.signOut()} onSyncNow={() => void state.syncNow()} />;
}
