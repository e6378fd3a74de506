import { createRoutingEngine } from '../../src-server/telephony/routing-engine';
import type { TelephonyProvider } from '../../src-server/telephony/provider';
import { createManualScheduler } from '../../src-server/telephony/scheduler';
import type { LiveBus } from '../../src-server/live/live-bus';
import { percentile, result, type Benchmark } from '../lib/measure';
import { seededRandom } from '../lib/random';

const HANDLERS = 500;
const WAITING = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3000);
const QUEUES = [
  { id: 'feedback', name: 'Feedback', caseType: 'feedback' as const },
  { id: 'concern', name: 'Concerns', caseType: 'feedback' as const },
  { id: 'question', name: 'Questions', caseType: 'question' as const },
  { id: 'general', name: 'General enquiries', caseType: 'general-enquiry' as const },
];

const quietLine: TelephonyProvider = {
  name: 'simulator',
  connect: async () => {},
  hold: async () => {},
  hangUp: async () => {},
  transfer: async () => {},
  dialOut: async () => ({ providerCallId: 'out' }),
  monitor: async () => {},
};

/** A bus with one listener that only counts, as the live socket's fan-out would see every event. */
function countingBus(): LiveBus {
  let count = 0;
  return { publish: () => void (count += 1), subscribe: () => () => {}, close: async () => {} };
}

function world() {
  const scheduler = createManualScheduler();
  const engine = createRoutingEngine({ clock: scheduler, scheduler, provider: quietLine, bus: countingBus(), store: null, settings: { queues: () => QUEUES } });
  const random = seededRandom(5);
  const handlers = Array.from({ length: HANDLERS }, (_, i) => {
    const first = Math.floor(random() * QUEUES.length);
    const second = (first + 1 + Math.floor(random() * (QUEUES.length - 1))) % QUEUES.length;
    return { id: `h${i}`, skills: [QUEUES[first]!.id, QUEUES[second]!.id] };
  });
  for (const h of handlers) engine.setSkills({ handlerId: h.id, name: h.id, teamIds: ['t'] }, h.skills);
  let calls = 0;
  const ring = (queueId: string) => engine.events.callerQueued({ provider: 'simulator', providerCallId: `c${++calls}`, from: '+441134960000', queueId });
  return { scheduler, engine, random, handlers, ring };
}

const must = <T>(r: { ok: true; value: T } | { ok: false; refusal: { detail: string } }): T => {
  if (!r.ok) throw new Error(r.refusal.detail);
  return r.value;
};

/**
 * `routing-decision-p99` (ms): one routing decision with 500 handlers (two skills each of four queues) and 100
 * callers waiting, through the whole engine (state change, indexes, offer, live events). Two kinds of decision:
 * "handler-free" (backlog of 100 waiting, every handler busy: a handler finishes wrap-up and is offered the longest
 * waiting caller in their skills) and "arrival" (100 handlers free: a caller arrives and the longest-idle skilled
 * handler is offered it). Baseline, same run, same decisions: a plain scan of an array with a sort per decision
 * (waiting calls filtered by the handler's skills, or handlers filtered by availability and skill), decision only.
 */
export const routingDecision: Benchmark = {
  name: 'routing-decision',
  async run() {
    const backlog = { ours: [] as number[], baseline: [] as number[] };
    const arrivals = { ours: [] as number[], baseline: [] as number[] };

    // Backlog: all 500 on calls, 100 callers waiting.
    {
      const { engine, random, handlers, ring, scheduler } = world();
      for (const h of handlers) must(engine.setHandlerState({ handlerId: h.id, name: h.id, teamIds: ['t'] }, { state: 'available' }, 'self'));
      const onCall: { handlerId: string; callId: string }[] = [];
      for (let i = 0; onCall.length < HANDLERS; i++) {
        const call = ring(QUEUES[i % QUEUES.length]!.id);
        const offered = engine.call(call.id)!;
        if (offered.handlerId) {
          must(engine.answer(offered.handlerId, call.id));
          onCall.push({ handlerId: offered.handlerId, callId: call.id });
        }
      }
      const waiting: { id: string; queueId: string; at: number }[] = [];
      const keepWaiting = () => {
        while (waiting.length < WAITING) {
          const call = ring(QUEUES[Math.floor(random() * QUEUES.length)]!.id);
          waiting.push({ id: call.id, queueId: call.queueId!, at: scheduler.now() });
          scheduler.advance(50);
        }
      };
      keepWaiting();
      const skillsOf = new Map(handlers.map((h) => [h.id, h.skills]));
      for (let round = 0; round < ROUNDS + 100; round++) {
        const slot = Math.floor(random() * onCall.length);
        const { handlerId, callId } = onCall[slot]!;
        must(engine.hangUp(handlerId, callId));
        const skills = skillsOf.get(handlerId)!;
        const t0 = performance.now();
        must(engine.wrapUp(handlerId, callId, { dispositionId: 'information-given' }));
        const t1 = performance.now();
        const naive = waiting.filter((c) => skills.includes(c.queueId)).sort((a, b) => a.at - b.at)[0];
        const t2 = performance.now();
        const offered = engine.handler(handlerId)!.currentCallId!;
        if (naive?.id !== offered) throw new Error('the engine and the plain scan chose different callers');
        must(engine.answer(handlerId, offered));
        onCall[slot] = { handlerId, callId: offered };
        waiting.splice(waiting.findIndex((c) => c.id === offered), 1);
        keepWaiting();
        if (round >= 100) {
          backlog.ours.push(t1 - t0);
          backlog.baseline.push(t2 - t1);
        }
      }
    }

    // Arrivals: 400 on calls, 100 free.
    {
      const { engine, random, handlers, ring, scheduler } = world();
      const mirror = handlers.map((h) => ({ id: h.id, skills: h.skills, available: false, idleSince: 0 }));
      const byId = new Map(mirror.map((m) => [m.id, m]));
      const free = (id: string) => {
        must(engine.setHandlerState({ handlerId: id, name: id, teamIds: ['t'] }, { state: 'available' }, 'self'));
        Object.assign(byId.get(id)!, { available: true, idleSince: scheduler.now() });
        scheduler.advance(10);
      };
      for (const h of handlers) free(h.id);
      const onCall: { handlerId: string; callId: string }[] = [];
      const take = (callId: string) => {
        const handlerId = engine.call(callId)!.handlerId!;
        must(engine.answer(handlerId, callId));
        byId.get(handlerId)!.available = false;
        onCall.push({ handlerId, callId });
      };
      for (let i = 0; onCall.length < HANDLERS - WAITING; i++) take(ring(QUEUES[i % QUEUES.length]!.id).id);
      for (let round = 0; round < ROUNDS + 100; round++) {
        // A queue that has a free handler, so every arrival is a decision that offers.
        let queueId = QUEUES[Math.floor(random() * QUEUES.length)]!.id;
        while (!mirror.some((m) => m.available && m.skills.includes(queueId))) queueId = QUEUES[Math.floor(random() * QUEUES.length)]!.id;
        const t0 = performance.now();
        const call = ring(queueId);
        const t1 = performance.now();
        const naive = mirror.filter((m) => m.available && m.skills.includes(queueId)).sort((a, b) => a.idleSince - b.idleSince || (a.id < b.id ? -1 : 1))[0];
        const t2 = performance.now();
        if (naive?.id !== engine.call(call.id)?.handlerId) throw new Error('the engine and the plain scan chose different handlers');
        take(call.id);
        const slot = Math.floor(random() * onCall.length);
        const done = onCall.splice(slot, 1)[0]!;
        must(engine.hangUp(done.handlerId, done.callId));
        must(engine.wrapUp(done.handlerId, done.callId, { dispositionId: 'information-given' }));
        Object.assign(byId.get(done.handlerId)!, { available: true, idleSince: scheduler.now() });
        scheduler.advance(10);
        if (round >= 100) {
          arrivals.ours.push(t1 - t0);
          arrivals.baseline.push(t2 - t1);
        }
      }
    }

    const all = { ours: [...backlog.ours, ...arrivals.ours], baseline: [...backlog.baseline, ...arrivals.baseline] };
    return [
      result('routing-decision-p99', percentile(all.ours, 99), 'ms', percentile(all.baseline, 99), 'target: value <= 5 ms; 500 handlers, 100 waiting; whole engine vs a bare scan-and-sort decision'),
      result('routing-decision-p50', percentile(all.ours, 50), 'ms', percentile(all.baseline, 50)),
      result('routing-decision-handler-free-p99', percentile(backlog.ours, 99), 'ms', percentile(backlog.baseline, 99)),
      result('routing-decision-arrival-p99', percentile(arrivals.ours, 99), 'ms', percentile(arrivals.baseline, 99)),
    ];
  },
};
