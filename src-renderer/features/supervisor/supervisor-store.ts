import type { z } from 'zod';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SetAgentStateInput } from '../../../src-shared/contract/agent-state';
import type { ReferenceData } from '../../../src-shared/contract/cases';
import type { LiveConnectionState } from '../../../src-shared/contract/live';
import type { Call, HandlerStatus, LiveEvent, QueueFigures } from '../../../src-shared/telephony/model';
import type { simulatorStatusSchema } from '../../../src-shared/telephony/requests';
import type { Result } from '../../../src-shared/result';
import type { Api } from '../../api';
import { watchLiveEvents, watchLiveLink } from '../../live-link';

export type SimulatorStatus = z.infer<typeof simulatorStatusSchema>;
export type TeamUser = ReferenceData['users'][number];

/** What the last supervisor action came to, kept on screen until the next one so a refusal can be read. */
export interface ActionOutcome {
  tone: 'done' | 'refused';
  text: string;
}

export interface SupervisorState {
  handlers: Record<string, HandlerStatus>;
  /** Calls still going (waiting, ringing, on a call, held, in wrap-up); finished ones are dropped. */
  calls: Record<string, Call>;
  queues: Record<string, QueueFigures>;
  /** When the picture's last snapshot was taken at the API; null until the first arrives. */
  snapshotAt: string | null;
  link: LiveConnectionState | null;
  users: TeamUser[];
  simulator: SimulatorStatus | null;
  /** Why the simulator cannot be read or changed (a Twilio line has none), or its last refusal. */
  simulatorProblem: string | null;
  simulatorBusy: boolean;
  outcome: ActionOutcome | null;
  /** Which action is on its way, so its button cannot be pressed twice. */
  pending: string | null;
  /** Subscribes to the live link and loads the picture; returns the way to let go. */
  connect(): () => void;
  setHandlerState(handler: HandlerStatus, input: SetAgentStateInput): Promise<void>;
  /** Reassigns by case id, or by the reference read from a case (looked up in this desk's cases). */
  reassign(target: { caseId: string } | { reference: string }, ownerId: string): Promise<boolean>;
  monitor(call: Call, mode: 'listen' | 'whisper'): Promise<void>;
  refreshSimulator(): Promise<void>;
  startSimulator(ratesPerHour?: Record<string, number>): Promise<void>;
  stopSimulator(): Promise<void>;
  setSimulatorRates(ratesPerHour: Record<string, number>): Promise<void>;
}

const finished = new Set<Call['state']>(['completed', 'abandoned']);

function byId<T>(items: readonly T[], key: (item: T) => string): Record<string, T> {
  return Object.fromEntries(items.map((item) => [key(item), item]));
}

/** One live event applied to the picture. A snapshot replaces everything, so nothing missed while away lingers. */
export function applyLiveEvent(state: Pick<SupervisorState, 'handlers' | 'calls' | 'queues' | 'snapshotAt'>, event: LiveEvent): Partial<SupervisorState> {
  switch (event.type) {
    case 'snapshot':
      return {
        handlers: byId(event.handlers, (h) => h.handlerId),
        calls: byId(event.calls.filter((c) => !finished.has(c.state)), (c) => c.id),
        queues: byId(event.queues, (q) => q.queueId),
        snapshotAt: event.at,
      };
    case 'handler':
      return { handlers: { ...state.handlers, [event.handler.handlerId]: event.handler } };
    case 'queue':
      return { queues: { ...state.queues, [event.figures.queueId]: event.figures } };
    case 'changes':
      // A poke to sync: the core acts on it and does not pass it on.
      return {};
    case 'call':
    case 'offer': {
      const call = event.type === 'call' ? event.call : event.offer.call;
      const calls = { ...state.calls };
      if (finished.has(call.state)) delete calls[call.id];
      else calls[call.id] = call;
      return { calls };
    }
    case 'offer.withdrawn':
      return {};
  }
}

const REFERENCE_SHAPE = /^[A-Z]{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

/**
 * The supervisor's live view: the live picture (queues, handlers, calls) built from the desk's picture plus live
 * events, the live link's state, the team's people, the simulator, and the supervisor's actions on handlers, cases
 * and calls. Every action's refusal is kept as `outcome` in the API's own words.
 */
export function createSupervisorStore(api: Api, options: { simulatorPollMs?: number } = {}): StoreApi<SupervisorState> {
  const pollMs = options.simulatorPollMs ?? 5_000;
  const store = createStore<SupervisorState>()((set, get) => {
    /** Runs one action: marks it pending, keeps its outcome (or refusal) on screen. */
    async function act(key: string, run: () => Promise<ActionOutcome>): Promise<ActionOutcome> {
      set({ pending: key, outcome: null });
      const outcome = await run();
      set({ pending: null, outcome });
      return outcome;
    }

    /** A simulator command (busy while it runs), or a quiet re-read for the figures (`command` false). */
    async function simulatorRequest(run: () => Promise<Result<SimulatorStatus>>, command = true): Promise<void> {
      if (command) set({ simulatorBusy: true });
      const result = await run();
      const busy = command ? { simulatorBusy: false } : {};
      set(result.ok ? { simulator: result.value, simulatorProblem: null, ...busy } : { simulatorProblem: result.error.message, ...busy });
    }

    return {
      handlers: {},
      calls: {},
      queues: {},
      snapshotAt: null,
      link: null,
      users: [],
      simulator: null,
      simulatorProblem: null,
      simulatorBusy: false,
      outcome: null,
      pending: null,

      connect() {
        let live = true;
        const offEvent = watchLiveEvents(api, (event) => set((state) => applyLiveEvent(state, event)));
        const offLink = watchLiveLink(api, (link) => set({ link }));
        void api.request('reference.get', {}).then((result) => live && result.ok && set({ users: result.value.users }));
        void get().refreshSimulator();
        const poll = pollMs > 0 ? setInterval(() => void get().refreshSimulator(), pollMs) : null;
        return () => {
          live = false;
          offEvent();
          offLink();
          if (poll) clearInterval(poll);
        };
      },

      async setHandlerState(handler, input) {
        await act(`state:${handler.handlerId}`, async () => {
          const result = await api.request('supervisor.setHandlerState', { handlerId: handler.handlerId, ...input });
          if (!result.ok) return { tone: 'refused', text: `Could not change ${handler.name}’s state: ${result.error.message}` };
          set((state) => ({ handlers: { ...state.handlers, [handler.handlerId]: result.value } }));
          return { tone: 'done', text: `${handler.name} is now ${input.state === 'break' ? `on a break (${input.reason})` : input.state}.` };
        });
      },

      async reassign(target, ownerId) {
        const owner = get().users.find((user) => user.id === ownerId);
        const outcome = await act('reassign', async () => {
          let caseId: string;
          if ('caseId' in target) caseId = target.caseId;
          else {
            const reference = target.reference.trim().toUpperCase();
            if (!REFERENCE_SHAPE.test(reference)) return { tone: 'refused', text: 'Enter the case reference as it is written on the case, like CC-7K3M-9QXP.' };
            const found = await api.request('cases.search', { query: reference, limit: 5 });
            const hit = found.ok ? found.value.items.find((item) => item.reference.toUpperCase() === reference) : undefined;
            if (!hit) return { tone: 'refused', text: found.ok ? `There is no case ${reference} among your team’s cases on this desk. Check the reference, or sync and try again.` : found.error.message };
            caseId = hit.id;
          }
          const result = await api.request('supervisor.reassignCase', { caseId, ownerId });
          if (!result.ok) return { tone: 'refused', text: `Could not reassign the case: ${result.error.message}` };
          return { tone: 'done', text: `Case ${result.value.reference} now belongs to ${owner?.name ?? 'the chosen handler'}.` };
        });
        return outcome.tone === 'done';
      },

      async monitor(call, mode) {
        await act(`monitor:${call.id}`, async () => {
          const result = await api.request('supervisor.monitorCall', { callId: call.id, mode });
          if (!result.ok) return { tone: 'refused', text: `Could not ${mode === 'listen' ? 'listen in' : 'whisper'}: ${result.error.message}` };
          return { tone: 'done', text: mode === 'listen' ? 'Your softphone is joining the call, muted: answer it to listen.' : 'Your softphone is joining the call: answer it, and only the handler will hear you.' };
        });
      },

      refreshSimulator: () => simulatorRequest(() => api.request('simulator.getStatus', {}), false),
      startSimulator: (ratesPerHour) => simulatorRequest(() => api.request('simulator.start', ratesPerHour ? { ratesPerHour } : {})),
      stopSimulator: () => simulatorRequest(() => api.request('simulator.stop', {})),
      setSimulatorRates: (ratesPerHour) => simulatorRequest(() => api.request('simulator.setRates', { ratesPerHour })),
    };
  });
  return store;
}

export type SupervisorStore = StoreApi<SupervisorState>;
