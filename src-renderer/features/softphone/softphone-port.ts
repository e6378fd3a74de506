import type { SetAgentStateInput } from '../../../src-shared/contract/agent-state';
import type { LiveConnectionState } from '../../../src-shared/contract/live';
import type { LiveEvent } from '../../../src-shared/telephony/model';

/**
 * What the softphone needs from the rest of the desktop: the routing engine's commands and its live events. The
 * softphone depends on this port, not on the contract, so it can be built and tested before the contract carries
 * telephony; the lead wires it to `api` (requests and the forwarded live events) in one adapter.
 *
 * Every command resolves, never rejects: `ok`, or a refusal in words a handler can act on ("That call has already
 * been answered by someone else."). The routing engine is the only writer of call and handler state; a command's
 * outcome is also sent as live events, so a missed reply is repaired by the next event or snapshot.
 */
export type PortResult<T = undefined> = { ok: true; value: T } | { ok: false; message: string };

export function portOk(): PortResult;
export function portOk<T>(value: T): PortResult<T>;
export function portOk<T>(value?: T): PortResult<T | undefined> {
  return { ok: true, value };
}

export function portRefusal(message: string): { ok: false; message: string } {
  return { ok: false, message };
}

/** Where a call can be transferred: a queue (anyone with the skill) or one named handler. */
export type TransferTarget = { kind: 'queue'; queueId: string } | { kind: 'handler'; handlerId: string };

/** Cold: the call goes straight to the target. Warm: the caller is held while the handler consults the target first. */
export type TransferMode = 'cold' | 'warm';

export interface SoftphonePort {
  /** The handler's own choice: available, a break with its reason, or offline. */
  setState(input: SetAgentStateInput): Promise<PortResult>;
  /** Takes the offered call. Refused when the offer has expired or the caller hung up. */
  answer(callId: string): Promise<PortResult>;
  /** Turns the offer down; routing offers it to the next handler. */
  decline(callId: string): Promise<PortResult>;
  hold(callId: string, on: boolean): Promise<PortResult>;
  hangUp(callId: string): Promise<PortResult>;
  /** DTMF for the simulator (Twilio's tones travel in the call's audio instead). */
  sendDigits(callId: string, digits: string): Promise<PortResult>;
  transfer(callId: string, target: TransferTarget, mode: TransferMode): Promise<PortResult>;
  /** Ends a warm transfer's consult by handing the caller to the consulted party. */
  completeTransfer(callId: string): Promise<PortResult>;
  /** Ends a warm transfer's consult and brings the caller back to this handler. */
  cancelTransfer(callId: string): Promise<PortResult>;
  /** Ends wrap-up with the chosen disposition; the handler becomes available. */
  wrapUp(callId: string, dispositionId: string, caseId?: string): Promise<PortResult>;
  /** Places an outbound call (click to call, a callback from a case). Returns the new call's id. */
  dial(number: string, caseId?: string): Promise<PortResult<{ callId: string }>>;
  /** Live events from the routing engine, as the main process forwards them. Returns an unsubscribe function. */
  subscribe(listener: (event: LiveEvent) => void): () => void;
  /**
   * The state of the desk's live link to the routing engine: the current one as soon as it is known, then each change.
   * Offers arrive only over that link, so while it is down no call can reach this handler. Returns an unsubscribe
   * function.
   */
  watchLink(listener: (link: LiveConnectionState) => void): () => void;
}
