import type { Api } from '../../src-renderer/api';
import type { AgentState } from '../../src-shared/contract/agent-state';
import type { AppInfo, EventName, EventPayload } from '../../src-shared/contract/desktop-contract';
import type { CentralHealth } from '../../src-shared/health';
import { fail, ok, type Result } from '../../src-shared/result';

/**
 * An in-memory stand-in for the main process, answering the contract the way the core does, so screens can be
 * tested without a transport. `emit` plays the part of a main-process event.
 */
export function fakeApi(overrides: { failSetState?: string } = {}) {
  const info: AppInfo = {
    name: 'Care Connect Desk',
    version: '1.2.3',
    databasePath: '/data/care-desk.sqlite3',
    schemaVersion: 10,
    shell: 'browser',
    platform: 'linux',
    centralApiUrl: 'http://127.0.0.1:9999',
    centralApiEmbedded: true,
  };
  let health: CentralHealth = { state: 'online', url: info.centralApiUrl, checkedAt: '2026-11-21T09:00:00.000Z', latencyMs: 4, serverVersion: '1.2.3', problem: null };
  let agent: AgentState = { state: 'offline', reason: null, since: new Date().toISOString() };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const requests: string[] = [];
  const calls: { name: string; input: unknown }[] = [];

  const api: Api = {
    transport: 'websocket',
    async request(name, input) {
      requests.push(name);
      calls.push({ name, input });
      const answer = (): Result<unknown> => {
        switch (name) {
          case 'app.getInfo':
            return ok(info);
          case 'central.getHealth':
          case 'central.checkHealth':
            return ok(health);
          case 'agent.getState':
            return ok(agent);
          case 'agent.setState': {
            if (overrides.failSetState) return fail('internal', overrides.failSetState);
            const next = input as { state: AgentState['state']; reason?: AgentState['reason'] };
            agent = { state: next.state, reason: next.reason ?? null, since: new Date().toISOString() };
            return ok(agent);
          }
          case 'reference.get':
            return ok({ categories: [], dispositions: [], queues: [], providerCount: 0, users: [] });
          case 'cases.list':
            return ok({ items: [], nextCursor: null });
          case 'providers.search':
            return ok([{ id: 'provider-rx1', odsCode: 'RX1', name: 'Northbridge Hospitals NHS Foundation Trust', kind: 'acute trust', departments: [] }]);
          default:
            return fail('unknown-request', `no ${name}`);
        }
      };
      return answer() as never;
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };

  return {
    api,
    requests,
    calls,
    setHealth(next: CentralHealth) {
      health = next;
    },
    emit<E extends EventName>(name: E, payload: EventPayload<E>) {
      for (const listener of listeners.get(name) ?? []) listener(payload);
    },
    listenerCount: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0),
  };
}
