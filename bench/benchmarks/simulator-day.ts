import type { LiveMessage } from '../../src-server/live/live-bus';
import type { CallRecord, TelephonyStore } from '../../src-server/store/telephony-store';
import { createRoutingEngine } from '../../src-server/telephony/routing-engine';
import { createManualScheduler } from '../../src-server/telephony/scheduler';
import { createSimulator, seededRandom } from '../../src-server/telephony/simulator';
import { result, type Benchmark } from '../lib/measure';

const QUEUES = [
  { id: 'feedback', name: 'Feedback', caseType: 'feedback' as const },
  { id: 'concern', name: 'Concerns', caseType: 'feedback' as const },
  { id: 'question', name: 'Questions', caseType: 'question' as const },
  { id: 'general', name: 'General enquiries', caseType: 'general-enquiry' as const },
];
const HOUR = 3_600_000;
/** A busy day: about 2,000 calls over ten open hours. Ten of them back to back make about 20,000. */
const RATES = { feedback: 80, concern: 20, question: 60, general: 40 };
const DAYS = Number(process.env.BENCH_SIM_DAYS ?? 10);
const HANDLERS = 20;

/**
 * `simulator-day-10x`: ten busy days of simulated calls (about 20,000) through the real routing engine and the
 * simulator, in accelerated fake time, with 20 simulated handlers who answer after a few seconds, sometimes let it
 * ring out or decline, and wrap up after 20 to 60 seconds. Checks the two things that must never happen: a call
 * lost (generated but never finished and written) and a call ringing at two handlers at once. Reports the counts
 * and the real elapsed time.
 */
export const simulatorDay: Benchmark = {
  name: 'simulator-day-10x',
  async run() {
    const scheduler = createManualScheduler(Date.parse('2026-11-23T08:00:00Z'));
    const records = new Map<string, CallRecord>();
    let doubleWrites = 0;
    const store = {
      async recordCall(record: CallRecord) {
        if (records.has(record.id)) doubleWrites += 1;
        records.set(record.id, record);
        return true;
      },
      async logHandlerStates() {},
    } as unknown as TelephonyStore;
    const listeners = new Set<(message: LiveMessage) => void>();
    const bus = { publish: (message: LiveMessage) => listeners.forEach((l) => l(message)), subscribe: (l: (m: LiveMessage) => void) => (listeners.add(l), () => listeners.delete(l)), close: async () => {} };
    const simulator = createSimulator({ clock: scheduler, scheduler, queues: () => QUEUES, ratesPerHour: RATES, seed: 2026, meanTalkMs: 180_000, meanPatienceMs: 180_000 });
    const engine = createRoutingEngine({ clock: scheduler, scheduler, provider: simulator.provider, bus, store, settings: { queues: () => QUEUES } });
    simulator.attach(engine.events);
    const random = seededRandom(99);

    // The invariant checks: which handler each call rings at now, and which call rings at each handler.
    const ringingAt = new Map<string, string>();
    const ringingCall = new Map<string, string>();
    let doubleOffers = 0;
    listeners.add(({ event, audience }) => {
      if (event.type === 'offer') {
        const { call, handlerId } = event.offer;
        if (ringingAt.has(call.id) || ringingCall.has(handlerId)) doubleOffers += 1;
        ringingAt.set(call.id, handlerId);
        ringingCall.set(handlerId, call.id);
        // The simulated handler: usually answers in 2-8 s; sometimes declines; sometimes lets it ring out.
        const roll = random();
        if (roll < 0.03) return;
        const callId = call.id;
        scheduler.setTimeout(() => (roll < 0.05 ? engine.decline(handlerId, callId) : engine.answer(handlerId, callId)), 2_000 + random() * 6_000);
      } else if (event.type === 'offer.withdrawn') {
        ringingAt.delete(event.callId);
        ringingCall.delete(event.handlerId);
      } else if (event.type === 'handler' && audience.userId !== null) {
        const handler = event.handler;
        if (handler.state !== 'ringing' && ringingCall.has(handler.handlerId)) {
          ringingAt.delete(ringingCall.get(handler.handlerId)!);
          ringingCall.delete(handler.handlerId);
        }
        const id = handler.handlerId;
        if (handler.state === 'wrap-up' && !handler.wrapUpOverdue) {
          const callId = handler.currentCallId!;
          scheduler.setTimeout(() => engine.wrapUp(id, callId, { dispositionId: 'information-given' }), 20_000 + random() * 40_000);
        } else if (handler.state === 'not-responding') {
          scheduler.setTimeout(() => engine.setHandlerState({ handlerId: id, name: id, teamIds: ['t'] }, { state: 'available' }, 'self'), 30_000);
        }
      }
    });
    for (let i = 0; i < HANDLERS; i++) engine.setHandlerState({ handlerId: `h${i}`, name: `h${i}`, teamIds: ['t'] }, { state: 'available' }, 'self');

    const started = performance.now();
    simulator.start();
    for (let day = 0; day < DAYS; day++) scheduler.advance(10 * HOUR);
    simulator.stop();
    // Let every caller still on the line finish, and every handler wrap up.
    while (engine.activeCalls().length > 0 && scheduler.runNext()) {
      /* drain */
    }
    await engine.flush();
    const elapsed = performance.now() - started;

    const generated = simulator.status().callsGenerated;
    // A transfer would add records; this run has none, so one record per generated call.
    const all = [...records.values()];
    const answered = all.filter((r) => r.answeredAt !== null).length;
    const abandoned = all.filter((r) => r.outcome === 'abandoned').length;
    const lost = generated - records.size + engine.activeCalls().length;
    if (lost !== 0 || doubleOffers !== 0 || doubleWrites !== 0) throw new Error(`simulator-day-10x: lost ${lost}, double offers ${doubleOffers}, double writes ${doubleWrites}`);
    return [
      result('simulator-day-10x-calls', generated, 'calls'),
      result('simulator-day-10x-answered', answered, 'calls'),
      result('simulator-day-10x-abandoned', abandoned, 'calls'),
      result('simulator-day-10x-lost', lost, 'calls', undefined, 'must be 0'),
      result('simulator-day-10x-double-offers', doubleOffers, 'offers', undefined, 'must be 0'),
      result('simulator-day-10x-elapsed', elapsed, 'ms', undefined, `${DAYS} simulated days of 10 h in accelerated time`),
    ];
  },
};
