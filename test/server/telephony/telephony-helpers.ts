import type { LiveBus, LiveMessage } from '../../../src-server/live/live-bus';
import type { TelephonyProvider, TransferTarget } from '../../../src-server/telephony/provider';
import { createRoutingEngine, type QueueDefinition, type RoutingSettings } from '../../../src-server/telephony/routing-engine';
import { createManualScheduler } from '../../../src-server/telephony/scheduler';
import type { TelephonyStore } from '../../../src-server/store/telephony-store';
import type { Call } from '../../../src-shared/telephony/model';

export const TEST_QUEUES: readonly QueueDefinition[] = [
  { id: 'feedback', name: 'Feedback', caseType: 'feedback' },
  { id: 'concern', name: 'Concerns (urgent)', caseType: 'feedback' },
  { id: 'question', name: 'Questions', caseType: 'question' },
  { id: 'general', name: 'General enquiries', caseType: 'general-enquiry' },
];

/** A plain in-memory bus that keeps every message, so tests can read who was told what. */
export function memoryBus(): LiveBus & { messages: LiveMessage[] } {
  const listeners = new Set<(message: LiveMessage) => void>();
  const messages: LiveMessage[] = [];
  return {
    messages,
    publish(message) {
      messages.push(message);
      for (const listener of listeners) listener(message);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}

/** A provider that does nothing on the line and remembers what it was asked, in order. */
export function recordingProvider(): TelephonyProvider & { log: string[] } {
  const log: string[] = [];
  let dialled = 0;
  const target = (t: TransferTarget) => (t.kind === 'queue' ? `queue:${t.queueId}` : `handler:${t.handlerId}`);
  return {
    name: 'simulator',
    log,
    async connect(call: Call, handlerId: string) {
      log.push(`connect ${call.providerCallId} ${handlerId}`);
    },
    async hold(call: Call, on: boolean) {
      log.push(`hold ${call.providerCallId} ${on}`);
    },
    async hangUp(call: Call) {
      log.push(`hangUp ${call.providerCallId}`);
    },
    async transfer(call: Call, t: TransferTarget, mode: 'cold' | 'warm') {
      log.push(`transfer ${call.providerCallId} ${target(t)} ${mode}`);
    },
    async dialOut(handlerId: string, to: string) {
      dialled += 1;
      log.push(`dialOut ${handlerId} ${to}`);
      return { providerCallId: `out-${dialled}` };
    },
    async monitor() {},
  };
}

/** An engine on a hand-moved clock, with three handlers in team t1 signed in but offline. */
export function engineWorld(options: { settings?: Partial<RoutingSettings>; store?: TelephonyStore | null } = {}) {
  const scheduler = createManualScheduler();
  const bus = memoryBus();
  const provider = recordingProvider();
  const engine = createRoutingEngine({
    clock: scheduler,
    scheduler,
    provider,
    bus,
    store: options.store ?? null,
    settings: { queues: () => TEST_QUEUES, ...options.settings },
  });
  let callNumber = 0;
  const profile = (handlerId: string) => ({ handlerId, name: `Handler ${handlerId}`, teamIds: ['t1'] });
  return {
    engine,
    scheduler,
    bus,
    provider,
    profile,
    /** A handler goes available now; returns when they did. */
    available(handlerId: string) {
      const result = engine.setHandlerState(profile(handlerId), { state: 'available' }, 'self');
      if (!result.ok) throw new Error(result.refusal.detail);
      return result.value;
    },
    /** A caller joins a queue. */
    ring(queueId = 'feedback', from = '+441134960001') {
      callNumber += 1;
      return engine.events.callerQueued({ provider: 'simulator', providerCallId: `pc-${callNumber}`, from, queueId });
    },
    /** The handler a call is ringing at, or null. */
    ringingAt(callId: string) {
      const call = engine.call(callId);
      return call?.state === 'offered' ? call.handlerId : null;
    },
    stateOf(handlerId: string) {
      return engine.handler(handlerId)?.state;
    },
    /** Offers sent to this handler, in order, by call id. */
    offersTo(handlerId: string) {
      return bus.messages.filter((m) => m.event.type === 'offer' && m.event.offer.handlerId === handlerId).map((m) => (m.event.type === 'offer' ? m.event.offer.call.id : ''));
    },
    advance: (ms: number) => scheduler.advance(ms),
  };
}

export function ok<T>(result: { ok: true; value: T } | { ok: false; refusal: { detail: string } }): T {
  if (!result.ok) throw new Error(`refused: ${result.refusal.detail}`);
  return result.value;
}
