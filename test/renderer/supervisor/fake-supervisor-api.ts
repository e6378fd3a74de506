import type { Api } from '../../../src-renderer/api';
import type { SimulatorStatus } from '../../../src-renderer/features/supervisor/supervisor-store';
import type { ReferenceData } from '../../../src-shared/contract/cases';
import type { LiveConnectionState, LivePictureState } from '../../../src-shared/contract/live';
import { fail, ok, type Result } from '../../../src-shared/result';
import { blankCall, type Call, type HandlerStatus, type LiveEvent, type QueueFigures } from '../../../src-shared/telephony/model';
import { fakeApi } from '../fake-api';

export const T0 = Date.parse('2026-11-23T10:00:00.000Z');
export const at = (ms: number) => new Date(T0 + ms).toISOString();

export function queue(overrides: Partial<QueueFigures> & Pick<QueueFigures, 'queueId' | 'name'>): QueueFigures {
  return {
    waiting: 0,
    longestWaitingSince: null,
    answeredToday: 0,
    abandonedToday: 0,
    answeredWithinTargetToday: 0,
    totalAnswerWaitMsToday: 0,
    handlersByState: { available: 0, ringing: 0, 'on-call': 0, 'wrap-up': 0, break: 0, offline: 0, 'not-responding': 0 },
    ...overrides,
  };
}

export function handler(overrides: Partial<HandlerStatus> & Pick<HandlerStatus, 'handlerId' | 'name'>): HandlerStatus {
  return {
    teamIds: ['team-a'],
    skills: ['feedback', 'question'],
    state: 'available',
    breakReason: null,
    since: at(-60_000),
    currentCallId: null,
    callsHandledToday: 0,
    missedOffersToday: 0,
    handleMsToday: 0,
    ...overrides,
  };
}

export function call(overrides: Partial<Call> & Pick<Call, 'id'>): Call {
  return blankCall({
    providerCallId: `SIM-${overrides.id}`,
    provider: 'simulator',
    direction: 'inbound',
    queueId: 'feedback',
    caseType: 'feedback',
    from: '+441134960123',
    state: 'connected',
    enteredQueueAt: at(-120_000),
    offeredAt: at(-100_000),
    answeredAt: at(-90_000),
    ...overrides,
  });
}

export const USERS: ReferenceData['users'] = [
  { id: 'sam', name: 'Sam Taylor', role: 'handler', active: true },
  { id: 'alex', name: 'Alex Morgan', role: 'handler', active: true },
  { id: 'priya', name: 'Priya Shah', role: 'supervisor', active: true },
];

type Name = 'supervisor.setHandlerState' | 'supervisor.reassignCase' | 'supervisor.monitorCall' | 'simulator.start' | 'simulator.stop' | 'simulator.setRates' | 'simulator.getStatus';

/**
 * The main process as the supervisor's view sees it: the desk's picture, the live link, the simulator, and the
 * supervisor's requests, each answered ok unless the test tells it to refuse with a sentence. Everything else is the
 * shared fake's. `emit` plays a live event or a link change.
 */
export function fakeSupervisorApi(options: { picture?: Partial<LivePictureState>; link?: LiveConnectionState; simulator?: SimulatorStatus | null; cases?: { id: string; reference: string }[] } = {}) {
  const base = fakeApi();
  let picture: LivePictureState = { handlers: [], calls: [], queues: [], offers: [], snapshotAt: at(0), ...options.picture };
  let simulator: SimulatorStatus | null = options.simulator === undefined ? { running: true, ratesPerHour: { feedback: 60, question: 30 }, callsGenerated: 12, callersOnLine: 3 } : options.simulator;
  const refusals = new Map<Name, string>();
  const sent: { name: string; input: unknown }[] = [];

  const answer = (name: string, input: Record<string, unknown>): Result<unknown> | null => {
    const refusal = refusals.get(name as Name);
    if (refusal) return fail('invalid-input', refusal);
    switch (name) {
      case 'telephony.getPicture':
        return ok(picture);
      case 'telephony.getLinkState':
        return ok(options.link ?? { state: 'connected', reason: null, nextRetryAt: null, since: at(0) });
      case 'reference.get':
        return ok({ categories: [], dispositions: [], queues: [], providerCount: 0, users: USERS });
      case 'cases.search': {
        const hit = (options.cases ?? []).find((c) => c.reference === input.query);
        return ok({ items: hit ? [{ ...hit, snippet: '' }] : [], matchedBy: 'reference', capped: false });
      }
      case 'supervisor.setHandlerState': {
        const current = picture.handlers.find((h) => h.handlerId === input.handlerId)!;
        return ok({ ...current, state: input.state, since: at(1_000) });
      }
      case 'supervisor.reassignCase': {
        const found = (options.cases ?? []).find((c) => c.id === input.caseId);
        return ok({ id: input.caseId, reference: found?.reference ?? 'CC-0000-0000', ownerId: input.ownerId });
      }
      case 'supervisor.monitorCall':
        return ok(picture.calls.find((c) => c.id === input.callId));
      case 'simulator.getStatus':
        return simulator ? ok(simulator) : fail('invalid-input', 'No simulator. This line runs on Twilio, so there is no call simulator to control.');
      case 'simulator.start':
        simulator = { ...simulator!, running: true, ratesPerHour: { ...simulator!.ratesPerHour, ...(input.ratesPerHour as Record<string, number> | undefined) } };
        return ok(simulator);
      case 'simulator.stop':
        simulator = { ...simulator!, running: false };
        return ok(simulator);
      case 'simulator.setRates':
        simulator = { ...simulator!, ratesPerHour: { ...simulator!.ratesPerHour, ...(input.ratesPerHour as Record<string, number>) } };
        return ok(simulator);
      default:
        return null;
    }
  };

  const api: Api = {
    transport: 'websocket',
    async request(name, input) {
      sent.push({ name, input });
      return (answer(name, input as Record<string, unknown>) ?? (await base.api.request(name, input))) as never;
    },
    on: (name, listener) => base.api.on(name, listener),
  };

  return {
    api,
    /** The requests of one name, by their inputs, in order. */
    sentTo: (name: string) => sent.filter((s) => s.name === name).map((s) => s.input),
    refuse: (name: Name, message: string) => refusals.set(name, message),
    setPicture: (next: Partial<LivePictureState>) => {
      picture = { ...picture, ...next };
    },
    live: (event: LiveEvent) => base.emit('live.event', event),
    link: (state: LiveConnectionState) => base.emit('live.connectionChanged', state),
    listenerCount: base.listenerCount,
  };
}
