import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CaseListFilters, CaseSummary, SearchResult } from '../../../src-shared/contract/cases';
import type { Api } from '../../api';

export type ListView = { kind: 'list' } | { kind: 'search'; query: string; matchedBy: SearchResult['matchedBy']; capped: boolean };

export interface CaseListState {
  filters: Omit<CaseListFilters, 'cursor' | 'limit'>;
  items: (CaseSummary & { snippet?: string })[];
  nextCursor: string | null;
  view: ListView;
  query: string;
  loading: boolean;
  problem: string | null;
  setFilters(filters: CaseListState['filters']): Promise<void>;
  reload(): Promise<void>;
  loadMore(): Promise<void>;
  search(query: string): Promise<void>;
}

const PAGE = 30;
const SEARCH_PAUSE_MS = 150;

/** The case list: newest first with filters, or search results when the handler has typed a query. */
export function createCaseListStore(api: Api): StoreApi<CaseListState> {
  let latestRequest = 0;
  return createStore<CaseListState>()((set, get) => ({
    filters: { status: 'open', mine: true },
    items: [],
    nextCursor: null,
    view: { kind: 'list' },
    query: '',
    loading: false,
    problem: null,

    async setFilters(filters) {
      set({ filters });
      await get().reload();
    },

    async reload() {
      const { query } = get();
      if (query.trim() !== '') return get().search(query);
      const request = ++latestRequest;
      set({ loading: true });
      const result = await api.request('cases.list', { ...get().filters, limit: PAGE });
      if (request !== latestRequest) return;
      set(
        result.ok
          ? { items: result.value.items, nextCursor: result.value.nextCursor, loading: false, problem: null, view: { kind: 'list' } }
          : { loading: false, problem: result.error.message },
      );
    },

    async loadMore() {
      const { nextCursor, filters, items } = get();
      if (!nextCursor) return;
      const request = ++latestRequest;
      const result = await api.request('cases.list', { ...filters, limit: PAGE, cursor: nextCursor });
      if (request !== latestRequest) return;
      if (result.ok) set({ items: [...items, ...result.value.items], nextCursor: result.value.nextCursor });
      else set({ problem: result.error.message });
    },

    async search(query) {
      set({ query });
      if (query.trim() === '') return get().reload();
      const request = ++latestRequest;
      set({ loading: true });
      // Wait for a pause in typing, so a search runs for what the handler means, not for every letter.
      await new Promise((resolve) => setTimeout(resolve, SEARCH_PAUSE_MS));
      if (request !== latestRequest) return;
      const result = await api.request('cases.search', { query, limit: 25 });
      if (request !== latestRequest) return;
      set(
        result.ok
          ? {
              items: result.value.items,
              nextCursor: null,
              loading: false,
              problem: null,
              view: { kind: 'search', query, matchedBy: result.value.matchedBy, capped: result.value.capped },
            }
          : { loading: false, problem: result.error.message },
      );
    },
  }));
}
