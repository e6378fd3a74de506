import { z } from 'zod';
import type { SetAgentStateInput } from '../../../src-shared/contract/agent-state';
import { callSchema, handlerStatusSchema, snapshotEventSchema, type Call, type HandlerStatus } from '../../../src-shared/telephony/model';
import { reassignedCaseSchema } from '../../../src-shared/contract/desktop-contract';
import { simulatorStatusSchema, voiceTokenResponseSchema } from '../../../src-shared/telephony/requests';
import type { AuthorisedRequest } from '../api/authorised-request';

const linkedSchema = z.object({ callId: z.string(), caseId: z.string() });
const nothing = z.undefined();

export type TransferTarget = { kind: 'queue'; queueId: string } | { kind: 'handler'; handlerId: string };

/**
 * Call control from the desk: each command goes to the central API's routing engine, which is the only writer of
 * call and handler state. The engine's answer comes back here, and the same change arrives as a live event, so a
 * lost answer is repaired by the event (or the snapshot after a reconnect). A refusal is a `RefusedError` with the
 * engine's own sentence ("That call is no longer ringing for you").
 */
export function createTelephonyService(request: AuthorisedRequest) {
  const call = (callId: string) => `/telephony/calls/${encodeURIComponent(callId)}`;
  return {
    snapshot: () => request('GET', '/telephony/snapshot', undefined, snapshotEventSchema),
    setState: (input: SetAgentStateInput): Promise<HandlerStatus> => request('PUT', '/telephony/me/state', input, handlerStatusSchema),
    answer: (callId: string): Promise<Call> => request('POST', `${call(callId)}/answer`, {}, callSchema),
    decline: (callId: string): Promise<undefined> => request('POST', `${call(callId)}/decline`, {}, nothing),
    hold: (callId: string, on: boolean): Promise<Call> => request('POST', `${call(callId)}/hold`, { on }, callSchema),
    hangUp: (callId: string): Promise<Call> => request('POST', `${call(callId)}/hang-up`, {}, callSchema),
    transfer: (callId: string, mode: 'cold' | 'warm', target: TransferTarget): Promise<Call> => request('POST', `${call(callId)}/transfer`, { mode, target }, callSchema),
    completeConsult: (callId: string): Promise<Call> => request('POST', `${call(callId)}/consult/complete`, {}, callSchema),
    cancelConsult: (callId: string): Promise<Call> => request('POST', `${call(callId)}/consult/cancel`, {}, callSchema),
    wrapUp: (callId: string, dispositionId: string, caseId: string | null): Promise<Call> => request('POST', `${call(callId)}/wrap-up`, { dispositionId, caseId }, callSchema),
    linkCase: (callId: string, caseId: string) => request('PUT', `${call(callId)}/case`, { caseId }, linkedSchema),
    dial: (to: string, caseId: string | null): Promise<Call> => request('POST', '/telephony/calls/outbound', { to, caseId }, callSchema),
    voiceToken: () => request('POST', '/twilio/token', {}, voiceTokenResponseSchema),
    setHandlerState: (handlerId: string, input: SetAgentStateInput): Promise<HandlerStatus> =>
      request('PUT', `/telephony/handlers/${encodeURIComponent(handlerId)}/state`, input, handlerStatusSchema),
    /** Supervisors: the case goes to another handler of its team (the API refuses anyone outside it). */
    reassignCase: (caseId: string, ownerId: string) => request('POST', `/cases/${encodeURIComponent(caseId)}/reassign`, { ownerId }, reassignedCaseSchema),
    /** Supervisors: join a live call muted (listen) or as a coach only the handler hears (whisper); Twilio only. */
    monitorCall: (callId: string, mode: 'listen' | 'whisper'): Promise<Call> => request('POST', `${call(callId)}/monitor`, { mode }, callSchema),
    simulatorStatus: () => request('GET', '/telephony/simulator', undefined, simulatorStatusSchema),
    startSimulator: (ratesPerHour?: Record<string, number>) => request('POST', '/telephony/simulator/start', ratesPerHour ? { ratesPerHour } : {}, simulatorStatusSchema),
    stopSimulator: () => request('POST', '/telephony/simulator/stop', {}, simulatorStatusSchema),
    setSimulatorRates: (ratesPerHour: Record<string, number>) => request('PUT', '/telephony/simulator/rates', { ratesPerHour }, simulatorStatusSchema),
  };
}

export type TelephonyService = ReturnType<typeof createTelephonyService>;
