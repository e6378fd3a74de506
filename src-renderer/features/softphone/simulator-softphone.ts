import type { LiveEvent } from '../../../src-shared/telephony/model';
import { createEmitter, type Softphone, type SoftphoneEvent } from './softphone';
import { portOk, portRefusal, type SoftphonePort } from './softphone-port';

const ENDED_STATES = new Set(['wrap-up', 'completed', 'abandoned']);

/**
 * The softphone for the simulated line (the embedded default, demos and training). There is no audio: an offer for
 * this handler in the live events is the incoming call, and every command is the routing engine's. Mute is kept
 * here, because a simulated caller has nothing to hear.
 */
export function createSimulatorSoftphone(deps: { port: SoftphonePort; handlerId: string }): Softphone {
  const events = createEmitter<SoftphoneEvent>();
  const muted = new Map<string, boolean>();
  let unsubscribe: (() => void) | null = null;

  function onLiveEvent(event: LiveEvent) {
    if (event.type === 'offer' && event.offer.handlerId === deps.handlerId) {
      events.emit({ type: 'incoming', callId: event.offer.call.id });
    } else if (event.type === 'call' && ENDED_STATES.has(event.call.state) && muted.has(event.call.id)) {
      muted.delete(event.call.id);
      events.emit({ type: 'audio-ended', callId: event.call.id });
    }
  }

  return {
    kind: 'simulator',
    ringsItself: false,
    audio: null,
    async start() {
      unsubscribe ??= deps.port.subscribe(onLiveEvent);
      events.emit({ type: 'registration', state: 'registered' });
      return portOk();
    },
    stop() {
      unsubscribe?.();
      unsubscribe = null;
      muted.clear();
    },
    async answer(callId) {
      const result = await deps.port.answer(callId);
      if (result.ok) muted.set(callId, false);
      return result;
    },
    decline: (callId) => deps.port.decline(callId),
    async setMuted(callId, on) {
      if (!muted.has(callId)) return portRefusal('There is no call on this desk to mute.');
      muted.set(callId, on);
      events.emit({ type: 'muted', callId, muted: on });
      return portOk();
    },
    async sendDigits(callId, digits) {
      if (!/^[0-9*#]+$/.test(digits)) return portRefusal('Only the keys 0 to 9, * and # can be sent.');
      return deps.port.sendDigits(callId, digits);
    },
    hangUp: (callId) => deps.port.hangUp(callId),
    async dial(number, caseId) {
      const result = await deps.port.dial(number, caseId);
      if (result.ok) muted.set(result.value.callId, false);
      return result;
    },
    subscribe: events.subscribe,
  };
}
