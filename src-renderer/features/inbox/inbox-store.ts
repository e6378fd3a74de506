import { createStore, type StoreApi } from 'zustand/vanilla';
import type { InboxFilters, InboxPage } from '../../../src-shared/contract/inbox';
import type { Api } from '../../api';

export type InboxFilterValues = Omit<InboxFilters, 'limit'>;

export interface InboxState {
  filters: InboxFilterValues;
  page: InboxPage | null;
  loading: boolean;
  problem: string | null;
  /** The row being claimed, and the refusal of the last claim, by case. */
  claiming: string | null;
  claimErrors: Record<string, string>;
  setFilters(filters: InboxFilterValues): Promise<void>;
  reload(): Promise<void>;
  /**
   * Keeps the list current while it is on screen: reloads whenever sync brings changes to cases (a new text, a
   * colleague's claim), at most one reload under way and one waiting, however many pages a catch-up pulls. Returns
   * the function that stops it.
   */
  follow(): () => void;
  claim(caseId: string): Promise<boolean>;
}

const PAGE = 100;

/** The shared inbox: the oldest open contacts from the local cache, filtered; claim one through the central API. */
export function createInboxStore(api: Api): StoreApi<InboxState> {
  let latest = 0;
  let following: Promise<void> | null = null;
  let again = false;
  return createStore<InboxState>()((set, get) => ({
    filters: { age: 'any', owner: 'any' },
    page: null,
    loading: false,
    problem: null,
    claiming: null,
    claimErrors: {},

    async setFilters(filters) {
      set({ filters });
      await get().reload();
    },

    async reload() {
      const request = ++latest;
      set({ loading: true });
      const result = await api.request('inbox.list', { ...get().filters, limit: PAGE });
      if (request !== latest) return;
      set(result.ok ? { page: result.value, loading: false, problem: null } : { loading: false, problem: result.error.message });
    },

    follow() {
      const reloadOnce = (): Promise<void> =>
        get()
          .reload()
          .finally(() => {
            following = null;
            if (again) {
              again = false;
              following = reloadOnce();
            }
          });
      return api.on('cases.changed', () => {
        if (following) again = true;
        else following = reloadOnce();
      });
    },

    async claim(caseId) {
      set({ claiming: caseId });
      const result = await api.request('inbox.claim', { caseId });
      const claimErrors = { ...get().claimErrors };
      if (result.ok) delete claimErrors[caseId];
      else claimErrors[caseId] = result.error.message;
      set({ claiming: null, claimErrors });
      // Claimed or not, the list shows who has it now (a refusal means someone else was first: sync brings their name).
      await get().reload();
      return result.ok;
    },
  }));
}
