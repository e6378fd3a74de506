import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SessionState, SyncState } from '../../../src-shared/contract/session';
import type { Api } from '../../api';

export interface SessionStoreState {
  session: SessionState | null;
  sync: SyncState | null;
  embedded: boolean;
  busy: boolean;
  problem: string | null;
  load(): Promise<void>;
  signIn(email: string, password: string): Promise<boolean>;
  signOut(): Promise<void>;
  syncNow(): Promise<void>;
}

/** Who is signed in and how sync is doing, kept current by the main process's events. */
export function createSessionStore(api: Api): StoreApi<SessionStoreState> & { dispose(): void } {
  const store = createStore<SessionStoreState>()((set) => ({
    session: null,
    sync: null,
    embedded: false,
    busy: false,
    problem: null,
    async load() {
      const [session, sync, info] = await Promise.all([api.request('session.get', {}), api.request('sync.getState', {}), api.request('app.getInfo', {})]);
      set({
        session: session.ok ? session.value : null,
        sync: sync.ok ? sync.value : null,
        embedded: info.ok ? info.value.centralApiEmbedded : false,
        problem: session.ok ? null : session.error.message,
      });
    },
    async signIn(email, password) {
      set({ busy: true, problem: null });
      const result = await api.request('session.signIn', { email, password });
      set(result.ok ? { busy: false, session: result.value } : { busy: false, problem: result.error.message });
      return result.ok;
    },
    async signOut() {
      const result = await api.request('session.signOut', {});
      if (result.ok) set({ session: result.value });
    },
    async syncNow() {
      const result = await api.request('sync.now', {});
      if (result.ok) set({ sync: result.value });
    },
  }));
  const unsubscribers = [api.on('session.changed', (session) => store.setState({ session })), api.on('sync.stateChanged', (sync) => store.setState({ sync }))];
  return Object.assign(store, { dispose: () => unsubscribers.forEach((unsubscribe) => unsubscribe()) });
}
