import type { PortResult } from './softphone-port';

/**
 * The audio side of a call: what carries the caller's voice to this handler. Two adapters: Twilio (WebRTC in the
 * renderer) and the simulator (no audio; the routing engine's state is all there is). Routing commands that have
 * no audio side (hold, transfer, wrap-up, the handler's state) go straight to the port; these are the ones where
 * the audio and the routing engine must both act.
 */
export interface Softphone {
  readonly kind: 'twilio' | 'simulator';
  /**
   * True when the adapter rings by itself (Twilio plays its ringtone on the chosen ringtone device), so the panel
   * must not ring as well.
   */
  readonly ringsItself: boolean;
  /** Connects (Twilio: fetches a token, creates the Device and registers). Resolves with a refusal if it cannot. */
  start(): Promise<PortResult>;
  /** Disconnects and lets go of every listener. */
  stop(): void;
  answer(callId: string): Promise<PortResult>;
  decline(callId: string): Promise<PortResult>;
  setMuted(callId: string, muted: boolean): Promise<PortResult>;
  sendDigits(callId: string, digits: string): Promise<PortResult>;
  hangUp(callId: string): Promise<PortResult>;
  dial(number: string, caseId?: string): Promise<PortResult<{ callId: string }>>;
  subscribe(listener: (event: SoftphoneEvent) => void): () => void;
  /** Microphone, speaker and ringtone choice; only where there is real audio. */
  readonly audio: AudioDeviceControl | null;
}

/** A call-quality problem the audio engine noticed, already in a handler's words. */
export interface QualityWarning {
  name: string;
  message: string;
}

export type RegistrationState = 'unregistered' | 'registering' | 'registered' | 'destroyed';

export type SoftphoneEvent =
  | { type: 'registration'; state: RegistrationState }
  /** The audio leg for a routing offer arrived (Twilio); the offer itself comes from the live events. */
  | { type: 'incoming'; callId: string }
  /** The audio leg ended (the caller hung up, or the call was cancelled before it was answered). */
  | { type: 'audio-ended'; callId: string }
  | { type: 'muted'; callId: string; muted: boolean }
  | { type: 'warning'; callId: string; warning: QualityWarning }
  | { type: 'warning-cleared'; callId: string; name: string }
  | { type: 'devices'; devices: AudioDevices }
  | { type: 'error'; message: string };

export interface AudioDeviceOption {
  id: string;
  label: string;
}

export interface AudioDevices {
  inputs: AudioDeviceOption[];
  outputs: AudioDeviceOption[];
  /** Some browsers cannot route audio to a chosen output; then only the microphone can be chosen. */
  outputSelectable: boolean;
  input: string | null;
  speaker: string | null;
  ringtone: string | null;
}

export interface AudioDeviceControl {
  current(): AudioDevices;
  setInput(deviceId: string): Promise<PortResult>;
  setSpeaker(deviceId: string): Promise<PortResult>;
  setRingtone(deviceId: string): Promise<PortResult>;
}

/** A tiny listener set, shared by both adapters. */
export function createEmitter<E>() {
  const listeners = new Set<(event: E) => void>();
  return {
    emit(event: E) {
      for (const listener of [...listeners]) listener(event);
    },
    subscribe(listener: (event: E) => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    clear() {
      listeners.clear();
    },
  };
}
