import { createStore, type StoreApi } from 'zustand/vanilla';
import type { breakReasons, SetAgentStateInput } from '../../../src-shared/contract/agent-state';
import type { LiveConnectionState } from '../../../src-shared/contract/live';
import {
  DEFAULT_OFFER_TIMEOUT_MS,
  DEFAULT_WRAP_UP_MS,
  type Call,
  type HandlerState,
  type HandlerStatus,
  type LiveEvent,
  type Offer,
} from '../../../src-shared/telephony/model';
import type { AudioDevices, QualityWarning, RegistrationState, Softphone, SoftphoneEvent } from './softphone';
import type { PortResult, SoftphonePort, TransferMode, TransferTarget } from './softphone-port';

export type BreakReason = (typeof breakReasons)[number];

/** This handler's state as routing last told it (or as a command this desk made just changed it). */
export interface AgentStatus {
  state: HandlerState;
  since: string;
  breakReason: BreakReason | null;
}

/** A warm transfer under way: the caller is held while the handler talks to the target. */
export interface Consult {
  target: TransferTarget;
}

export type SoftphoneCommand =
  | 'state'
  | 'answer'
  | 'decline'
  | 'mute'
  | 'hold'
  | 'digits'
  | 'transfer'
  | 'complete-transfer'
  | 'cancel-transfer'
  | 'hang-up'
  | 'wrap-up'
  | 'dial'
  | 'audio';

/** What the softphone screen shows. Everything a live event carries is replaced by the next snapshot. */
export interface SoftphoneData {
  agent: AgentStatus | null;
  /** The call ringing at this handler, with when the offer moves on. */
  offer: Offer | null;
  /** The call this handler is on, consulting on or wrapping up. */
  call: Call | null;
  /** Queue names by id, for the incoming panel and transfer targets. */
  queues: Record<string, string>;
  /** The other handlers, for transfer to a person. */
  colleagues: HandlerStatus[];
  muted: boolean;
  consult: Consult | null;
  /** Digits sent on this call, shown under the keypad so the handler sees what went. */
  digitsSent: string;
  dispositionId: string | null;
  warnings: QualityWarning[];
  registration: RegistrationState | null;
  /** The live link to the routing engine (null until the desk says): offers come only over it. */
  link: LiveConnectionState | null;
  audioDevices: AudioDevices | null;
  /** The command on its way, so its button cannot be pressed twice. */
  pending: SoftphoneCommand | null;
  /** Why the last command did not happen, in a handler's words. */
  error: string | null;
  /** Which command `error` is about (null for a problem the softphone itself reported), so it shows beside it. */
  failedCommand: SoftphoneCommand | null;
  /** Something that happened to the handler's call without them doing it (the caller hung up while ringing). */
  notice: string | null;
}

export interface SoftphoneActions {
  /** Starts the softphone (Twilio: token, Device, registration). */
  connect(): Promise<void>;
  /** Applies one live event from the routing engine. */
  apply(event: LiveEvent): void;
  setState(input: SetAgentStateInput): Promise<boolean>;
  answer(): Promise<boolean>;
  decline(): Promise<boolean>;
  toggleMute(): Promise<boolean>;
  setHold(on: boolean): Promise<boolean>;
  sendDigits(digits: string): Promise<boolean>;
  transfer(target: TransferTarget, mode: TransferMode): Promise<boolean>;
  completeTransfer(): Promise<boolean>;
  cancelTransfer(): Promise<boolean>;
  hangUp(): Promise<boolean>;
  chooseDisposition(dispositionId: string): void;
  finishWrapUp(): Promise<boolean>;
  dial(number: string, caseId?: string): Promise<boolean>;
  setAudioDevice(kind: 'input' | 'speaker' | 'ringtone', deviceId: string): Promise<boolean>;
  dismissError(): void;
  dismissNotice(): void;
}

export type SoftphoneState = SoftphoneData & SoftphoneActions;

export interface SoftphoneStoreDeps {
  port: SoftphonePort;
  softphone: Softphone;
  handlerId: string;
  now?: () => number;
  /** The wrap-up time setting; the countdown starts from the call's end. */
  wrapUpMs?: number;
  /** The offer timeout setting, to rebuild an offer's deadline from a snapshot. */
  offerTimeoutMs?: number;
}

export type SoftphoneStore = StoreApi<SoftphoneState> & {
  /** Stops listening and stops the softphone. */
  dispose(): void;
  readonly wrapUpMs: number;
  readonly ringsItself: boolean;
  readonly hasAudioDevices: boolean;
};

const ACTIVE_CALL_STATES = new Set<Call['state']>(['connected', 'held', 'wrap-up']);
const SELF_CHOSEN_STATES = new Set<HandlerState>(['available', 'break', 'offline', 'not-responding']);
const UNREACHABLE = 'The phone service did not answer, so nothing changed. Check the connection and try again.';

/**
 * Whether no offer can reach this desk: its live link is down after something went wrong (a first attempt in flight,
 * with no reason yet, is not an outage).
 */
export function lineIsDown(link: LiveConnectionState | null): link is LiveConnectionState & { reason: string } {
  return link !== null && link.state !== 'connected' && link.reason !== null;
}

export const initialSoftphoneData: SoftphoneData = {
  agent: null,
  offer: null,
  call: null,
  queues: {},
  colleagues: [],
  muted: false,
  consult: null,
  digitsSent: '',
  dispositionId: null,
  warnings: [],
  registration: null,
  link: null,
  audioDevices: null,
  pending: null,
  error: null,
  failedCommand: null,
  notice: null,
};

/** The per-call parts of the screen, reset whenever the handler's call changes. */
const FRESH_CALL = { muted: false, consult: null, digitsSent: '', dispositionId: null, warnings: [] } satisfies Partial<SoftphoneData>;

function agentFrom(handler: HandlerStatus): AgentStatus {
  return { state: handler.state, since: handler.since, breakReason: handler.breakReason };
}

function isMyActiveCall(call: Call, handlerId: string): boolean {
  if (call.handlerId !== handlerId) return false;
  if (ACTIVE_CALL_STATES.has(call.state)) return true;
  // An outbound call is the handler's from the moment it is dialled.
  return call.direction === 'outbound' && (call.state === 'waiting' || call.state === 'offered');
}

function withCall(state: SoftphoneData, call: Call | null): Partial<SoftphoneData> {
  return state.call?.id === call?.id ? { call } : { call, ...FRESH_CALL };
}

/**
 * Applies one live event to the screen's data. Pure, so a sequence of events can be checked without a screen. Only
 * events about this handler, their offer or their call change anything but the queue names and the colleagues.
 */
export function reduceLiveEvent(
  state: SoftphoneData,
  event: LiveEvent,
  context: { handlerId: string; offerTimeoutMs: number },
): Partial<SoftphoneData> {
  const me = context.handlerId;
  switch (event.type) {
    case 'offer':
      return event.offer.handlerId === me ? { offer: event.offer, notice: null } : {};
    case 'offer.withdrawn': {
      if (event.handlerId !== me || state.offer?.call.id !== event.callId) return {};
      const notice =
        event.reason === 'abandoned'
          ? 'The caller hung up before the call was answered.'
          : event.reason === 'timeout'
            ? 'The call was not answered in time and went to a colleague.'
            : null;
      return { offer: null, notice };
    }
    case 'call': {
      const call = event.call;
      const next: Partial<SoftphoneData> = {};
      if (state.offer?.call.id === call.id) {
        next.offer = call.state === 'offered' && (call.handlerId === me || call.handlerId === null) ? { ...state.offer, call } : null;
      } else if (call.state === 'offered' && call.direction === 'inbound' && call.handlerId === me) {
        // The offer event itself was missed: rebuild it from the call.
        next.offer = { call, handlerId: me, expiresAt: offerDeadline(call, context.offerTimeoutMs) };
      }
      if (isMyActiveCall(call, me)) Object.assign(next, withCall(state, call));
      else if (state.call?.id === call.id && !stillWrappingUp(state)) Object.assign(next, withCall(state, null));
      return next;
    }
    case 'handler': {
      const handler = event.handler;
      if (handler.handlerId !== me) {
        const others = state.colleagues.filter((h) => h.handlerId !== handler.handlerId);
        return { colleagues: [...others, handler].sort((a, b) => a.name.localeCompare(b.name)) };
      }
      const next: Partial<SoftphoneData> = { agent: agentFrom(handler) };
      if (SELF_CHOSEN_STATES.has(handler.state)) {
        // Routing has moved on: nothing can still be ringing here, and a wrap-up has been finished.
        next.offer = null;
        if (state.call && (state.call.state === 'wrap-up' || state.call.state === 'completed')) Object.assign(next, withCall(state, null));
      }
      return next;
    }
    case 'queue':
      return { queues: { ...state.queues, [event.figures.queueId]: event.figures.name } };
    case 'changes':
      // A poke to sync: the core acts on it and does not pass it on.
      return {};
    case 'snapshot': {
      const mine = event.handlers.find((h) => h.handlerId === me);
      const offered = event.calls.find((c) => c.state === 'offered' && c.direction === 'inbound' && c.handlerId === me);
      const call = event.calls.find((c) => isMyActiveCall(c, me)) ?? (mine?.state === 'wrap-up' && stillWrappingUp(state) ? state.call : null);
      const sentOffer = offered ? event.offers?.find((o) => o.call.id === offered.id && o.handlerId === me) : undefined;
      return {
        // Routing has not met a handler who never chose a state: to the line they are offline.
        agent: mine ? agentFrom(mine) : { state: 'offline', since: event.at, breakReason: null },
        offer: offered
          ? {
              call: offered,
              handlerId: me,
              expiresAt: sentOffer?.expiresAt ?? (state.offer?.call.id === offered.id ? state.offer.expiresAt : offerDeadline(offered, context.offerTimeoutMs)),
            }
          : null,
        ...withCall(state, call),
        queues: Object.fromEntries(event.queues.map((q) => [q.queueId, q.name])),
        colleagues: event.handlers.filter((h) => h.handlerId !== me).sort((a, b) => a.name.localeCompare(b.name)),
      };
    }
  }
}

/**
 * A call this handler transferred now belongs to someone else, but the handler still wraps up their part of it:
 * keep it on screen until their own wrap-up ends.
 */
function stillWrappingUp(state: SoftphoneData): boolean {
  return state.call?.state === 'wrap-up' && state.agent?.state === 'wrap-up';
}

function offerDeadline(call: Call, timeoutMs: number): string {
  const from = call.offeredAt ? Date.parse(call.offeredAt) : Date.now();
  return new Date(from + timeoutMs).toISOString();
}

/** When wrap-up time runs out, in ms since the epoch, or null when not in wrap-up. */
export function wrapUpDeadline(state: Pick<SoftphoneData, 'call' | 'agent'>, wrapUpMs: number): number | null {
  if (state.call?.state !== 'wrap-up') return null;
  const ended = state.call.endedAt ?? (state.agent?.state === 'wrap-up' ? state.agent.since : null);
  return ended ? Date.parse(ended) + wrapUpMs : null;
}

/** How long the caller has been held in all, including a hold still going on. */
export function heldMs(call: Call, now: number): number {
  return call.heldMs + (call.state === 'held' && call.holdStartedAt ? Math.max(0, now - Date.parse(call.holdStartedAt)) : 0);
}

/**
 * The softphone's store: reduces the routing engine's live events and the softphone's own events, and runs the
 * handler's commands. A refused command leaves the state as it was and says why; an accepted one updates the
 * screen at once, and the live events that follow confirm (or correct) it.
 */
export function createSoftphoneStore(deps: SoftphoneStoreDeps): SoftphoneStore {
  const now = deps.now ?? Date.now;
  const wrapUpMs = deps.wrapUpMs ?? DEFAULT_WRAP_UP_MS;
  const context = { handlerId: deps.handlerId, offerTimeoutMs: deps.offerTimeoutMs ?? DEFAULT_OFFER_TIMEOUT_MS };
  const iso = () => new Date(now()).toISOString();

  const store = createStore<SoftphoneState>()((set, get) => {
    /** Runs one command; on success applies `onOk` to the state, on refusal keeps it and shows the reason. */
    async function run<T>(command: SoftphoneCommand, action: () => Promise<PortResult<T>>, onOk: (value: T) => Partial<SoftphoneData>): Promise<boolean> {
      if (get().pending) return false;
      set({ pending: command, error: null, failedCommand: null });
      let result: PortResult<T>;
      try {
        result = await action();
      } catch {
        result = { ok: false, message: UNREACHABLE };
      }
      if (result.ok) set({ ...onOk(result.value), pending: null });
      else set({ pending: null, error: result.message, failedCommand: command });
      return result.ok;
    }

    function currentCall(): Call | null {
      const call = get().call;
      if (!call) set({ error: 'There is no call on this desk.', failedCommand: null });
      return call;
    }

    function leaveCall(call: Call, outcome: string | null): Partial<SoftphoneData> {
      const at = iso();
      const ended: Call = { ...call, state: 'wrap-up', endedAt: call.endedAt ?? at, outcome: outcome ?? call.outcome, ...closeHold(call, now()) };
      return { call: ended, consult: null, muted: false, agent: { state: 'wrap-up', since: at, breakReason: null } };
    }

    return {
      ...initialSoftphoneData,
      async connect() {
        const result = await deps.softphone.start();
        if (!result.ok) set({ error: result.message, failedCommand: null });
      },
      apply(event) {
        set(reduceLiveEvent(get(), event, context));
      },
      setState(input) {
        return run('state', () => deps.port.setState(input), () => ({
          agent: { state: input.state, since: iso(), breakReason: input.state === 'break' ? input.reason : null },
          notice: null,
        }));
      },
      answer() {
        const offer = get().offer;
        if (!offer) return Promise.resolve(false);
        return run('answer', () => deps.softphone.answer(offer.call.id), () => ({
          offer: null,
          ...withCall(get(), { ...offer.call, state: 'connected', handlerId: deps.handlerId, answeredAt: offer.call.answeredAt ?? iso() }),
          agent: { state: 'on-call', since: iso(), breakReason: null },
          notice: null,
        }));
      },
      decline() {
        const offer = get().offer;
        if (!offer) return Promise.resolve(false);
        return run('decline', () => deps.softphone.decline(offer.call.id), () => ({ offer: null }));
      },
      toggleMute() {
        const call = currentCall();
        if (!call) return Promise.resolve(false);
        const muted = !get().muted;
        return run('mute', () => deps.softphone.setMuted(call.id, muted), () => ({ muted }));
      },
      setHold(on) {
        const call = currentCall();
        if (!call) return Promise.resolve(false);
        return run('hold', () => deps.port.hold(call.id, on), () => {
          const latest = get().call ?? call;
          return { call: on ? { ...latest, state: 'held', holdStartedAt: latest.holdStartedAt ?? iso() } : { ...latest, state: 'connected', ...closeHold(latest, now()) } };
        });
      },
      sendDigits(digits) {
        const call = currentCall();
        if (!call) return Promise.resolve(false);
        return run('digits', () => deps.softphone.sendDigits(call.id, digits), () => ({ digitsSent: get().digitsSent + digits }));
      },
      transfer(target, mode) {
        const call = currentCall();
        if (!call) return Promise.resolve(false);
        return run('transfer', () => deps.port.transfer(call.id, target, mode), () => {
          if (mode === 'cold') return leaveCall(get().call ?? call, 'transferred');
          // The caller waits on hold while the handler consults.
          const latest = get().call ?? call;
          return { consult: { target }, call: { ...latest, state: 'held', holdStartedAt: latest.holdStartedAt ?? iso() } };
        });
      },
      completeTransfer() {
        const call = currentCall();
        if (!call) return Promise.resolve(false);
        return run('complete-transfer', () => deps.port.completeTransfer(call.id), () => leaveCall(get().call ?? call, 'transferred'));
      },
      cancelTransfer() {
        const call = currentCall();
        if (!call) return Promise.resolve(false);
        return run('cancel-transfer', () => deps.port.cancelTransfer(call.id), () => {
          const latest = get().call ?? call;
          return { consult: null, call: { ...latest, state: 'connected', ...closeHold(latest, now()) } };
        });
      },
      hangUp() {
        const call = currentCall();
        if (!call) return Promise.resolve(false);
        return run('hang-up', () => deps.softphone.hangUp(call.id), () => leaveCall(get().call ?? call, null));
      },
      chooseDisposition(dispositionId) {
        set({ dispositionId, error: null, failedCommand: null });
      },
      finishWrapUp() {
        const { call, dispositionId } = get();
        if (!call) return Promise.resolve(false);
        if (!dispositionId) {
          set({ error: 'Choose how the call ended before you finish.', failedCommand: 'wrap-up' });
          return Promise.resolve(false);
        }
        return run('wrap-up', () => deps.port.wrapUp(call.id, dispositionId, call.caseId ?? undefined), () => ({
          ...withCall(get(), null),
          agent: { state: 'available', since: iso(), breakReason: null },
        }));
      },
      dial(number, caseId) {
        return run('dial', () => deps.softphone.dial(number, caseId), () => ({}));
      },
      setAudioDevice(kind, deviceId) {
        const control = deps.softphone.audio;
        if (!control) return Promise.resolve(false);
        const change = kind === 'input' ? control.setInput : kind === 'speaker' ? control.setSpeaker : control.setRingtone;
        return run('audio', () => change(deviceId), () => ({ audioDevices: control.current() }));
      },
      dismissError() {
        set({ error: null, failedCommand: null });
      },
      dismissNotice() {
        set({ notice: null });
      },
    };
  });

  function onSoftphoneEvent(event: SoftphoneEvent) {
    const state = store.getState();
    switch (event.type) {
      case 'registration':
        store.setState({ registration: event.state });
        return;
      case 'incoming':
      case 'audio-ended':
        // The routing engine's live events say what became of the call; the audio leg alone changes nothing here.
        return;
      case 'muted':
        if (state.call?.id === event.callId) store.setState({ muted: event.muted });
        return;
      case 'warning':
        if (state.call?.id !== event.callId && state.offer?.call.id !== event.callId) return;
        store.setState({ warnings: [...state.warnings.filter((w) => w.name !== event.warning.name), event.warning] });
        return;
      case 'warning-cleared':
        store.setState({ warnings: state.warnings.filter((w) => w.name !== event.name) });
        return;
      case 'devices':
        store.setState({ audioDevices: event.devices });
        return;
      case 'error':
        store.setState({ error: event.message, failedCommand: null });
        return;
    }
  }

  const unsubscribers = [
    deps.port.subscribe((event) => store.getState().apply(event)),
    deps.port.watchLink((link) => store.setState({ link })),
    deps.softphone.subscribe(onSoftphoneEvent),
  ];
  return Object.assign(store, {
    dispose() {
      unsubscribers.forEach((unsubscribe) => unsubscribe());
      deps.softphone.stop();
    },
    wrapUpMs,
    ringsItself: deps.softphone.ringsItself,
    hasAudioDevices: deps.softphone.audio !== null,
  });
}

function closeHold(call: Call, now: number): Pick<Call, 'holdStartedAt' | 'heldMs'> {
  return { holdStartedAt: null, heldMs: heldMs(call, now) };
}
