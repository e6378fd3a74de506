import { describe, expect, it } from 'vitest';
import { normalisePhoneNumber } from '../../../src-shared/domain/phone-number';
import { createRoutingEngine } from '../../../src-server/telephony/routing-engine';
import { createManualScheduler } from '../../../src-server/telephony/scheduler';
import { createSimulator, simulatedPopulation } from '../../../src-server/telephony/simulator';
import { memoryBus, ok, TEST_QUEUES } from './telephony-helpers';

const HOUR = 3_600_000;

function simulatedLine(options: { ratesPerHour: Record<string, number>; seed?: number; meanPatienceMs?: number; meanTalkMs?: number }) {
  const scheduler = createManualScheduler();
  const simulator = createSimulator({ clock: scheduler, scheduler, queues: () => TEST_QUEUES, ...options });
  const bus = memoryBus();
  const engine = createRoutingEngine({ clock: scheduler, scheduler, provider: simulator.provider, bus, store: null, settings: { queues: () => TEST_QUEUES } });
  simulator.attach(engine.events);
  return { scheduler, simulator, engine, bus };
}

describe('the call simulator', () => {
  it('brings callers at the configured rate, within statistical bounds over a long period', () => {
    const { scheduler, simulator } = simulatedLine({ ratesPerHour: { feedback: 60, question: 15 }, seed: 7 });
    simulator.start();
    scheduler.advance(100 * HOUR);
    // Poisson: 7,500 expected over 100 hours, standard deviation about 87. Four deviations either way.
    expect(Math.abs(simulator.status().callsGenerated - 7_500)).toBeLessThan(4 * 87);
  });

  it('counts arrivals per queue at their own rates', () => {
    const { scheduler, simulator, bus } = simulatedLine({ ratesPerHour: { feedback: 120, question: 30 }, seed: 11 });
    const queued = new Map<string, number>();
    bus.subscribe((m) => {
      if (m.event.type === 'call' && m.event.call.state === 'waiting' && m.audience.minRole === 'supervisor') queued.set(m.event.call.queueId!, (queued.get(m.event.call.queueId!) ?? 0) + 1);
    });
    simulator.start();
    scheduler.advance(50 * HOUR);
    // 6,000 (sd 77) and 1,500 (sd 39).
    expect(Math.abs((queued.get('feedback') ?? 0) - 6_000)).toBeLessThan(4 * 77);
    expect(Math.abs((queued.get('question') ?? 0) - 1_500)).toBeLessThan(4 * 39);
    expect(queued.get('general')).toBeUndefined();
  });

  it('changes the rate at run time and stops bringing callers when stopped', () => {
    const { scheduler, simulator } = simulatedLine({ ratesPerHour: { feedback: 0 }, seed: 3 });
    simulator.start();
    scheduler.advance(10 * HOUR);
    expect(simulator.status().callsGenerated).toBe(0);
    simulator.setRate('feedback', 360);
    scheduler.advance(10 * HOUR);
    const afterRate = simulator.status().callsGenerated;
    expect(Math.abs(afterRate - 3_600)).toBeLessThan(4 * 60);
    simulator.stop();
    scheduler.advance(10 * HOUR);
    expect(simulator.status()).toMatchObject({ running: false, callsGenerated: afterRate });
  });

  it('draws its callers from valid UK numbers, some of them repeat callers with open cases', () => {
    const population = simulatedPopulation(42, 2_000);
    for (const caller of population) {
      const parsed = normalisePhoneNumber(caller.phone);
      expect(parsed, caller.phone).toEqual({ ok: true, e164: caller.phone });
    }
    expect(new Set(population.map((c) => c.phone)).size).toBe(2_000);
    const repeat = population.filter((c) => c.repeat).length;
    expect(repeat).toBeGreaterThan(500);
    expect(repeat).toBeLessThan(900);
    expect(population.some((c) => c.hasOpenCase)).toBe(true);
    expect(population.some((c) => c.phone.startsWith('+442079460') || c.phone.startsWith('+441134960'))).toBe(true);
  });

  it('hangs up a caller nobody answers once their patience runs out, as abandoned', () => {
    const { scheduler, simulator, engine, bus } = simulatedLine({ ratesPerHour: { feedback: 30 }, seed: 5, meanPatienceMs: 60_000 });
    simulator.start();
    scheduler.advance(2 * HOUR);
    simulator.stop();
    scheduler.advance(HOUR);
    const generated = simulator.status().callsGenerated;
    expect(generated).toBeGreaterThan(20);
    const figures = engine.queueFigures().find((q) => q.queueId === 'feedback')!;
    expect(figures).toMatchObject({ waiting: 0, abandonedToday: generated });
    // Each waited at least the ten-second floor of patience before giving up.
    const abandoned = bus.messages.filter((m) => m.event.type === 'call' && m.event.call.state === 'abandoned' && m.audience.minRole === 'supervisor');
    expect(abandoned).toHaveLength(generated);
    for (const m of abandoned) {
      if (m.event.type !== 'call') continue;
      expect(Date.parse(m.event.call.endedAt!) - Date.parse(m.event.call.enteredQueueAt!)).toBeGreaterThanOrEqual(10_000);
    }
    expect(simulator.status().callersOnLine).toBe(0);
  });

  it('gives the handler a script and ends the call after the caller’s talk time', () => {
    const { scheduler, simulator, engine, bus } = simulatedLine({ ratesPerHour: { question: 60 }, seed: 9, meanPatienceMs: 10 * 60_000 });
    engine.setHandlerState({ handlerId: 'h1', name: 'H1', teamIds: ['t1'] }, { state: 'available' }, 'self');
    simulator.start();
    while (!bus.messages.some((m) => m.event.type === 'offer')) scheduler.runNext();
    simulator.stop();
    const offer = bus.messages.find((m) => m.event.type === 'offer')!.event;
    if (offer.type !== 'offer') throw new Error('no offer');
    expect(offer.offer.call.script?.lines.length).toBeGreaterThan(1);
    expect(offer.offer.call.script?.lines[0]).toMatch(/^Hello, my name is /);
    ok(engine.answer('h1', offer.offer.call.id));
    expect(engine.handler('h1')?.state).toBe('on-call');
    scheduler.advance(4 * HOUR);
    expect(engine.call(offer.offer.call.id)).toMatchObject({ state: 'wrap-up', outcome: 'answered' });
    expect(engine.handler('h1')?.state).toBe('wrap-up');
  });
});
