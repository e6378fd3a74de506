import { pick, seededRandom } from '../../src-shared/random';
import type { CaseType } from '../../src-shared/domain/case-types';
import type { Category } from '../../src-shared/domain/categories';
import type { Call } from '../../src-shared/telephony/model';
import type { TelephonyEvents, TelephonyProvider } from './provider';
import type { QueueDefinition } from './routing-engine';
import type { Scheduler, TimerHandle } from './scheduler';

/**
 * The call simulator: a line full of synthetic callers, so the demo, training and load tests behave like a real
 * line with no phone network. Callers arrive per queue as a Poisson process (exponential gaps from a seeded
 * generator, so a run can be repeated), say a short scripted scenario, hang up if nobody answers within their
 * patience, and end the call after their talk time unless the handler hangs up first. It is also the telephony
 * provider for simulated calls: the "line" answers the instant the engine connects a handler.
 */

export { seededRandom };

/** An exponential draw with this mean: the gap between arrivals of a Poisson process. */
export function exponential(random: () => number, mean: number): number {
  return -Math.log(1 - random()) * mean;
}


export interface SimulatedCaller {
  /** E.164, from Ofcom's drama ranges that the full libphonenumber metadata accepts, or 07400 mobiles. */
  phone: string;
  name: string;
  /** Has called before (their history is in the demo data). */
  repeat: boolean;
  /** A repeat caller ringing back about a case still open. */
  hasOpenCase: boolean;
}

/**
 * Landline blocks (+44 and the first digits; three more digits follow) from the drama ranges libphonenumber's full
 * metadata accepts: 0113 496 0xxx, 020 7946 0xxx and friends. 07700 900xxx is NOT here: the metadata refuses it.
 */
const LANDLINE_BLOCKS = ['+441134960', '+441144960', '+441164960', '+441174960', '+441214960', '+441314960', '+441614960', '+442079460', '+441914980'];
const FIRST_NAMES = ['Amira', 'Ben', 'Chloe', 'Dev', 'Eleanor', 'Farid', 'Grace', 'Harry', 'Isla', 'Jamal', 'Kate', 'Liam', 'Maya', 'Noah', 'Olivia', 'Priya', 'Rhys', 'Sofia', 'Tom', 'Zara'];
const SURNAMES = ['Ahmed', 'Baker', 'Clarke', 'Davies', 'Evans', 'Fraser', 'Green', 'Hughes', 'Iqbal', 'Jones', 'Khan', 'Lewis', 'Morgan', 'Nowak', 'Owen', 'Patel', 'Roberts', 'Singh', 'Taylor', 'Walsh'];

/** A synthetic population of distinct callers; about a third have called before, a third of those about an open case. */
export function simulatedPopulation(seed: number, size = 600): SimulatedCaller[] {
  const random = seededRandom(seed ^ 0x5eed);
  const phones = new Set<string>();
  const callers: SimulatedCaller[] = [];
  while (callers.length < size) {
    const landline = random() < 0.3;
    const phone = landline ? `${pick(random, LANDLINE_BLOCKS)}${String(Math.floor(random() * 1000)).padStart(3, '0')}` : `+447400${String(Math.floor(random() * 1_000_000)).padStart(6, '0')}`;
    if (phones.has(phone)) continue;
    phones.add(phone);
    const repeat = random() < 0.35;
    callers.push({ phone, name: `${pick(random, FIRST_NAMES)} ${pick(random, SURNAMES)}`, repeat, hasOpenCase: repeat && random() < 0.35 });
  }
  return callers;
}

interface Scenario {
  caseType: CaseType;
  category: Category | null;
  scenario: string;
  lines: readonly string[];
  /** How likely this scenario is among its case type's. */
  weight: number;
}

/** What simulated callers ring about. Invented, never real patients' words. */
export const SCENARIOS: readonly Scenario[] = [
  { caseType: 'feedback', category: 'staff-attitude', weight: 3, scenario: 'Praise for a ward nurse', lines: ['I want to say thank you to a nurse on the children’s ward.', 'She stayed late to explain everything to us.', 'Can you pass that on?'] },
  { caseType: 'feedback', category: 'access', weight: 4, scenario: 'Cannot get a GP appointment', lines: ['I have rung my surgery every morning this week at eight.', 'By the time I get through there are no appointments left.', 'What am I supposed to do?'] },
  { caseType: 'feedback', category: 'delays', weight: 3, scenario: 'Waiting for test results', lines: ['I had a scan five weeks ago and nobody has told me the result.', 'The hospital keeps saying it is with the consultant.'] },
  { caseType: 'feedback', category: 'cleanliness', weight: 2, scenario: 'Dirty toilets on a ward', lines: ['I am visiting my dad and the toilets on his ward have not been cleaned all day.', 'It is happening right now.'] },
  { caseType: 'feedback', category: 'medicines', weight: 2, scenario: 'Wrong dose dispensed', lines: ['The pharmacy gave my mum the wrong strength of tablets.', 'We only noticed when we got home.'] },
  { caseType: 'feedback', category: 'parking', weight: 1, scenario: 'Parking charges for a long stay', lines: ['My wife is in for three weeks and the parking is costing a fortune.', 'Is there a concession?'] },
  { caseType: 'feedback', category: 'communication', weight: 2, scenario: 'Letter sent to the wrong address', lines: ['My appointment letter went to an old address.', 'I missed the appointment and now I am at the back of the list.'] },
  { caseType: 'feedback', category: 'dignity', weight: 1, scenario: 'Privacy on a mixed ward', lines: ['My mother was left in a gown in a corridor.', 'People walked past her for an hour.'] },
  { caseType: 'question', category: null, weight: 3, scenario: 'How to get medical records', lines: ['How do I get a copy of my medical records?', 'Is there a fee?'] },
  { caseType: 'question', category: null, weight: 2, scenario: 'Visiting hours', lines: ['What are the visiting hours on the maternity unit?', 'Can children visit?'] },
  { caseType: 'question', category: null, weight: 2, scenario: 'Changing GP practice', lines: ['I have moved house. How do I register with a new GP?'] },
  { caseType: 'general-enquiry', category: null, weight: 2, scenario: 'Lost property', lines: ['I left my glasses in the outpatients waiting area yesterday.', 'Who do I ask?'] },
  { caseType: 'general-enquiry', category: null, weight: 2, scenario: 'Hospital transport', lines: ['Can I get transport to my dialysis appointments?'] },
  { caseType: 'general-enquiry', category: null, weight: 1, scenario: 'Wrong number', lines: ['Is that the dentist?', 'Oh, sorry, wrong number.'] },
];

/** The demo line's seed: the same callers (and so the same demo history) on every machine. */
export const DEFAULT_SIMULATOR_SEED = 20_251_121;

/** Calls per hour for the demo when no rate is given: a gentle line one person can keep up with. */
export const DEFAULT_SIMULATOR_RATES_PER_HOUR: Readonly<Record<string, number>> = { feedback: 4, concern: 2, question: 3, general: 3 };

export interface SimulatorOptions {
  clock: { now(): number };
  scheduler: Scheduler;
  /** The line's queues; a queue's case type decides what its callers ring about. */
  queues: () => readonly QueueDefinition[];
  seed?: number;
  /** Starting rates, calls per hour per queue id. */
  ratesPerHour?: Record<string, number>;
  population?: readonly SimulatedCaller[];
  /** Mean patience before an unanswered caller hangs up (default 2 minutes; each caller draws their own). */
  meanPatienceMs?: number;
  /** Mean talk time once answered (default 4 minutes). */
  meanTalkMs?: number;
}

export interface SimulatorStatus {
  running: boolean;
  ratesPerHour: Record<string, number>;
  /** Calls generated since the simulator was created. */
  callsGenerated: number;
  /** Simulated callers on the line now (waiting, ringing or talking). */
  callersOnLine: number;
}

interface Line {
  providerCallId: string;
  answered: boolean;
  patienceMs: number;
  patienceTimer: TimerHandle | null;
  /** Talk time still to go; counts down only while the caller is talking (not on hold). */
  talkLeftMs: number;
  talkTimer: TimerHandle | null;
  talkStartedAt: number;
}

export function createSimulator(options: SimulatorOptions) {
  const { clock, scheduler } = options;
  const random = seededRandom(options.seed ?? DEFAULT_SIMULATOR_SEED);
  const population = options.population ?? simulatedPopulation(options.seed ?? DEFAULT_SIMULATOR_SEED);
  const repeatCallers = population.filter((caller) => caller.repeat);
  const newCallers = population.filter((caller) => !caller.repeat);
  const meanPatienceMs = options.meanPatienceMs ?? 120_000;
  const meanTalkMs = options.meanTalkMs ?? 240_000;
  const rates: Record<string, number> = { ...(options.ratesPerHour ?? DEFAULT_SIMULATOR_RATES_PER_HOUR) };
  const arrivalTimers = new Map<string, TimerHandle>();
  const lines = new Map<string, Line>();
  let events: TelephonyEvents | null = null;
  let running = false;
  let generated = 0;
  let outbound = 0;

  function scenarioFor(caseType: CaseType | null): Scenario {
    const choices = SCENARIOS.filter((s) => caseType === null || s.caseType === caseType);
    const total = choices.reduce((sum, s) => sum + s.weight, 0);
    let x = random() * total;
    for (const choice of choices) {
      x -= choice.weight;
      if (x < 0) return choice;
    }
    return choices[choices.length - 1]!;
  }

  function scheduleArrival(queueId: string) {
    const existing = arrivalTimers.get(queueId);
    if (existing) scheduler.clearTimeout(existing);
    arrivalTimers.delete(queueId);
    const perHour = rates[queueId] ?? 0;
    if (!running || perHour <= 0) return;
    const gap = exponential(random, 3_600_000 / perHour);
    arrivalTimers.set(
      queueId,
      scheduler.setTimeout(() => {
        arrivalTimers.delete(queueId);
        arrive(queueId);
        scheduleArrival(queueId);
      }, gap),
    );
  }

  function startPatience(line: Line) {
    line.patienceTimer = scheduler.setTimeout(() => {
      line.patienceTimer = null;
      if (line.answered) return;
      lines.delete(line.providerCallId);
      events?.callerHungUp(line.providerCallId);
    }, line.patienceMs);
  }

  function arrive(queueId: string) {
    if (!events) return;
    const queue = options.queues().find((q) => q.id === queueId);
    const repeat = repeatCallers.length > 0 && random() < 0.35;
    const caller = pick(random, repeat ? repeatCallers : newCallers.length > 0 ? newCallers : population);
    const scenario = scenarioFor(queue?.caseType ?? null);
    generated += 1;
    const line: Line = {
      providerCallId: `sim-${generated}`,
      answered: false,
      // At least ten seconds: nobody hangs up before the greeting ends.
      patienceMs: 10_000 + exponential(random, meanPatienceMs),
      patienceTimer: null,
      talkLeftMs: 30_000 + exponential(random, meanTalkMs),
      talkTimer: null,
      talkStartedAt: 0,
    };
    lines.set(line.providerCallId, line);
    startPatience(line);
    const opening = caller.hasOpenCase ? ['I rang before about this and my case is still open.'] : caller.repeat ? ['I have called you before about something else.'] : [];
    events.callerQueued({
      provider: 'simulator',
      providerCallId: line.providerCallId,
      from: caller.phone,
      queueId,
      script: { scenario: scenario.scenario, lines: [`Hello, my name is ${caller.name}.`, ...opening, ...scenario.lines], category: scenario.category, callerName: caller.name, mentionsOpenCase: caller.hasOpenCase },
    });
  }

  function startTalking(line: Line) {
    if (line.talkTimer) return;
    line.talkStartedAt = clock.now();
    line.talkTimer = scheduler.setTimeout(() => {
      line.talkTimer = null;
      lines.delete(line.providerCallId);
      events?.callerHungUp(line.providerCallId);
    }, line.talkLeftMs);
  }

  function pauseTalking(line: Line) {
    if (!line.talkTimer) return;
    scheduler.clearTimeout(line.talkTimer);
    line.talkTimer = null;
    line.talkLeftMs = Math.max(0, line.talkLeftMs - (clock.now() - line.talkStartedAt));
  }

  function drop(line: Line) {
    if (line.patienceTimer) scheduler.clearTimeout(line.patienceTimer);
    pauseTalking(line);
    lines.delete(line.providerCallId);
  }

  const provider: TelephonyProvider = {
    name: 'simulator',
    async connect(call: Call) {
      const line = lines.get(call.providerCallId);
      if (!line) throw new Error('The simulated caller has already hung up.');
      line.answered = true;
      if (line.patienceTimer) scheduler.clearTimeout(line.patienceTimer);
      line.patienceTimer = null;
      startTalking(line);
    },
    async hold(call: Call, on: boolean) {
      const line = lines.get(call.providerCallId);
      if (!line) return;
      if (on) pauseTalking(line);
      else startTalking(line);
    },
    async hangUp(call: Call) {
      const line = lines.get(call.providerCallId);
      if (line) drop(line);
    },
    async transfer(call: Call, _target, mode) {
      const line = lines.get(call.providerCallId);
      if (!line) return;
      pauseTalking(line);
      if (mode === 'cold') {
        // Waiting again: the caller's patience starts over, and they talk again once someone answers.
        line.answered = false;
        startPatience(line);
      }
    },
    async completeConsult(call: Call) {
      const line = lines.get(call.providerCallId);
      if (line) startTalking(line);
    },
    async cancelConsult() {},
    async dialOut() {
      outbound += 1;
      const line: Line = { providerCallId: `sim-out-${outbound}`, answered: true, patienceMs: 0, patienceTimer: null, talkLeftMs: 30_000 + exponential(random, meanTalkMs / 2), talkTimer: null, talkStartedAt: 0 };
      lines.set(line.providerCallId, line);
      startTalking(line);
      return { providerCallId: line.providerCallId };
    },
    async monitor() {},
  };

  return {
    provider,
    population,
    /** Connects the simulator to the routing engine's events; done once, after the engine is built. */
    attach(target: TelephonyEvents) {
      events = target;
    },
    start(ratesPerHour?: Record<string, number>) {
      if (ratesPerHour) Object.assign(rates, ratesPerHour);
      running = true;
      for (const queue of options.queues()) scheduleArrival(queue.id);
    },
    /** No new callers; callers already on the line carry on. */
    stop() {
      running = false;
      for (const timer of arrivalTimers.values()) scheduler.clearTimeout(timer);
      arrivalTimers.clear();
    },
    /** A new rate takes effect at once: arrivals are memoryless, so the next gap is simply drawn again. */
    setRate(queueId: string, perHour: number) {
      rates[queueId] = Math.max(0, perHour);
      scheduleArrival(queueId);
    },
    status(): SimulatorStatus {
      const ratesPerHour: Record<string, number> = {};
      for (const queue of options.queues()) ratesPerHour[queue.id] = rates[queue.id] ?? 0;
      return { running, ratesPerHour, callsGenerated: generated, callersOnLine: lines.size };
    },
  };
}

export type Simulator = ReturnType<typeof createSimulator>;
