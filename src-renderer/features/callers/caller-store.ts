import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Caller, CallerLookup } from '../../../src-shared/contract/cases';
import type { Api } from '../../api';

export interface CallerState {
  lookup: CallerLookup | null;
  problem: string | null;
  busy: boolean;
  /** Looks a number up (the screen pop). */
  find(phone: string): Promise<CallerLookup | null>;
  save(input: { callerId?: string; phone: string | null; name: string | null; flags: Caller['flags'] }): Promise<Caller | null>;
  showCaller(caller: Caller | null): Promise<void>;
  clear(): void;
}

/** The caller card: who this is, their flags and their history from the local cache. */
export function createCallerStore(api: Api): StoreApi<CallerState> {
  return createStore<CallerState>()((set) => ({
    lookup: null,
    problem: null,
    busy: false,
    async find(phone) {
      set({ busy: true });
      const result = await api.request('callers.lookup', { phone });
      set(result.ok ? { lookup: result.value, problem: null, busy: false } : { problem: result.error.message, busy: false });
      return result.ok ? result.value : null;
    },
    async save(input) {
      set({ busy: true });
      const result = await api.request('callers.save', { ...input, flags: input.flags as never });
      if (!result.ok) {
        set({ problem: result.error.issues?.[0]?.message ?? result.error.message, busy: false });
        return null;
      }
      const caller = result.value;
      const lookup = caller.phone ? await api.request('callers.lookup', { phone: caller.phone }) : null;
      set({
        busy: false,
        problem: null,
        lookup: lookup?.ok ? lookup.value : { phone: caller.phone ?? '', caller, openCases: [], recentCases: [] },
      });
      return caller;
    },
    async showCaller(caller) {
      if (!caller) {
        set({ lookup: null, problem: null });
        return;
      }
      if (!caller.phone) {
        set({ lookup: { phone: '', caller, openCases: [], recentCases: [] }, problem: null });
        return;
      }
      const result = await api.request('callers.lookup', { phone: caller.phone });
      set(result.ok ? { lookup: result.value, problem: null } : { problem: result.error.message });
    },
    clear() {
      set({ lookup: null, problem: null });
    },
  }));
}
