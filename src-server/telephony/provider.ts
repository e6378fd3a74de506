import type { Call } from '../../src-shared/telephony/model';

/**
 * The telephony provider: what carries the audio. The routing engine decides who gets a call; the provider makes it
 * happen on the line. Two implementations, chosen by configuration: Twilio (when Twilio settings are given) and the
 * simulator (otherwise). A provider reports what happens on the line (a new caller, a caller who hung up, a status
 * callback) to the routing engine through `TelephonyEvents`.
 */
export interface TelephonyProvider {
  readonly name: 'twilio' | 'simulator';
  /** The handler accepted the offer: bridge the caller and the handler (Twilio: both into the call's conference). */
  connect(call: Call, handlerId: string): Promise<void>;
  /** Put the caller on hold (music) or take them off it. */
  hold(call: Call, on: boolean): Promise<void>;
  /** End the caller's leg. */
  hangUp(call: Call): Promise<void>;
  /** Cold: the caller goes to the target and the handler leaves. Warm: the target joins a consult first. */
  transfer(call: Call, target: TransferTarget, mode: 'cold' | 'warm'): Promise<void>;
  /** An outbound call from a handler (click to call, callback from a case). */
  dialOut(handlerId: string, to: string): Promise<{ providerCallId: string }>;
  /** A supervisor listens to, or whispers to the handler on, a live call (Twilio: coach on the conference). */
  monitor(call: Call, supervisorId: string, mode: 'listen' | 'whisper'): Promise<void>;
  /**
   * Optional. After a warm transfer's consult, the caller stays with the consulted handler and the first handler
   * leaves. Without it the engine asks for a cold `transfer` to that handler instead.
   */
  completeConsult?(call: Call, toHandlerId: string): Promise<void>;
  /** Optional. The consult is called off: the consulted handler leaves and the caller stays on hold with the first. */
  cancelConsult?(call: Call, consultedHandlerId: string): Promise<void>;
}

export type TransferTarget = { kind: 'queue'; queueId: string } | { kind: 'handler'; handlerId: string };

/** What a provider tells the routing engine about the line. */
export interface TelephonyEvents {
  /** A caller chose a queue and is waiting. Returns the engine's call id. */
  callerQueued(input: { provider: 'twilio' | 'simulator'; providerCallId: string; from: string; queueId: string; script?: Call['script'] }): Call;
  /** The caller hung up (before or after answer). */
  callerHungUp(providerCallId: string): void;
}
