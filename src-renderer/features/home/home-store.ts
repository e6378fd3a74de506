import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AgentState, SetAgentStateInput } from '../../../src-shared/contract/agent-state';
import type { AppInfo } from '../../../src-shared/contract/desktop-contract';
import type { CentralHealth } from '../../../src-shared/health';
import type { Api } from '../../api';

export interface HomeState {
  appInfo: AppInfo | null;
  health: CentralHealth | null;
  agent: AgentState | null;
  /** Set when the desktop service itself could not be reached or refused a request. */
  problem: string | null;
  /** True while a state change is on its way, so the selector cannot be changed twice. */
  changingState: boolean;
  load(): Promise<void>;
  setAgentState(input: SetAgentStateInput): Promise<void>;
  checkHealth(): Promise<void>;
}

/** The home screen's store: what the agent bar and the desk panel show, kept current by contract events. */
export function createHomeStore(api: Api): StoreApi<HomeState> & { dispose(): void } {
  const store = createStore<HomeState>()((set) => ({
    appInfo: null,
    health: null,
    agent: null,
    problem: null,
    changingState: false,
    async load() {
      const [info, health, agent] = await Promise.all([
        api.request('app.getInfo', {}),
        api.request('central.getHealth', {}),
        api.request('agent.getState', {}),
      ]);
      const failed = [info, health, agent].find((result) => !result.ok);
      set({
        appInfo: info.ok ? info.value : null,
        health: health.ok ? health.value : null,
        agent: agent.ok ? agent.value : null,
        problem: failed && !failed.ok ? failed.error.message : null,
      });
    },
    async setAgentState(input) {
      set({ changingState: true });
      const result = await api.request('agent.setState', input);
      set(result.ok ? { agent: result.value, changingState: false, problem: null } : { changingState: false, problem: result.error.message });
    },
    async checkHealth() {
      const result = await api.request('central.checkHealth', {});
      set(result.ok ? { health: result.value } : { problem: result.error.message });
    },
  }));
  const unsubscribers = [
    api.on('central.healthChanged', (health) => store.setState({ health })),
    api.on('agent.stateChanged', (agent) => store.setState({ agent })),
  ];
  return Object.assign(store, { dispose: () => unsubscribers.forEach((unsubscribe) => unsubscribe()) });
}
