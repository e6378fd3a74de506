import type { Api } from '../../api';
import { watchLiveEvents, watchLiveLink } from '../../live-link';
import type { Result } from '../../../src-shared/result';
import { portOk, portRefusal, type PortResult, type SoftphonePort } from './softphone-port';

/** A contract answer as the softphone wants it: ok, or the main process's message for the handler. */
function toPort<T, V>(result: Result<T>, value: (output: T) => V): PortResult<V> {
  return result.ok ? portOk(value(result.value)) : portRefusal(result.error.message);
}

const nothing = (): undefined => undefined;

/**
 * The softphone's port over the desktop contract: each command is a `telephony.*` request that the main process
 * sends to the central API's routing engine, and the live events are the `live.event`s the main process forwards.
 * When the renderer subscribes it also gets the picture the desk already holds (see `watchLiveEvents`).
 */
export function createContractSoftphonePort(api: Api): SoftphonePort {
  return {
    setState: async (input) => toPort(await api.request('telephony.setState', input), nothing),
    answer: async (callId) => toPort(await api.request('telephony.answer', { callId }), nothing),
    decline: async (callId) => toPort(await api.request('telephony.decline', { callId }), nothing),
    hold: async (callId, on) => toPort(await api.request('telephony.hold', { callId, on }), nothing),
    hangUp: async (callId) => toPort(await api.request('telephony.hangUp', { callId }), nothing),
    // Simulated callers have no keypad to hear; Twilio sends the tones in the call's audio, not through here.
    sendDigits: async () => portOk(),
    transfer: async (callId, target, mode) => toPort(await api.request('telephony.transfer', { callId, target, mode }), nothing),
    completeTransfer: async (callId) => toPort(await api.request('telephony.completeConsult', { callId }), nothing),
    cancelTransfer: async (callId) => toPort(await api.request('telephony.cancelConsult', { callId }), nothing),
    wrapUp: async (callId, dispositionId, caseId) => toPort(await api.request('telephony.wrapUp', { callId, dispositionId, ...(caseId ? { caseId } : {}) }), nothing),
    dial: async (number, caseId) => toPort(await api.request('telephony.dial', { to: number, ...(caseId ? { caseId } : {}) }), (call) => ({ callId: call.id })),
    watchLink: (listener) => watchLiveLink(api, listener),
    subscribe: (listener) => watchLiveEvents(api, listener),
  };
}
