import { randomUUID } from 'node:crypto';
import type { SetAgentStateInput } from '../../src-shared/contract/agent-state';
import type { CaseType } from '../../src-shared/domain/case-types';
import {
  blankCall,
  DEFAULT_OFFER_TIMEOUT_MS,
  DEFAULT_SERVICE_LEVEL_TARGET_MS,
  DEFAULT_WRAP_UP_MS,
  handlerStates,
  type Call,
  type HandlerState,
  type HandlerStatus,
  type LiveEvent,
  type Offer,
  type QueueFigures,
} from '../../src-shared/telephony/model';
import type { LiveAudience, LiveBus } from '../live/live-bus';
import type { CallRecord, HandlerStateEntry, TelephonyStore } from '../store/telephony-store';
import type { TelephonyEvents, TelephonyProvider, TransferTarget } from './provider';
import type { Scheduler, TimerHandle } from './scheduler';
import { SortedSet } from './sorted-set';

/** A queue as reference data gives it. */
export interface QueueDefinition {
  id: string;
  name: string;
  caseType: CaseType | null;
}

export interface RoutingSettings {
  /** How long an offer rings at one handler before it goes to the next (default 15 s). */
  offerTimeoutMs?: number;
  /** Wrap-up time after a call (default 60 s); past it the handler shows as overdue until they pick a disposition. */
  wrapUpMs?: number;
  /** Service-level target: answered within this counts as within target (default 60 s). */
  serviceLevelTargetMs?: number;
  /** The line's queues, read when the engine needs them, so queues added to reference data are picked up. */
  queues: () => readonly QueueDefinition[];
  /** The dispositions a handler may choose; when given, any other is refused. */
  dispositionIds?: () => readonly string[];
  /** Where "today" starts and ends for the live figures (default Europe/London). */
  timeZone?: string;
}

/** What the engine needs to know about a person who takes calls. */
export interface HandlerProfile {
  handlerId: string;
  name: string;
  teamIds: string[];
}

export interface EngineLogger {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface RoutingEngineDeps {
  clock: { now(): number };
  scheduler: Scheduler;
  provider: TelephonyProvider;
  bus: LiveBus;
  /** Null runs without persistence (benchmarks). */
  store: TelephonyStore | null;
  settings: RoutingSettings;
  logger?: EngineLogger;
  newId?: () => string;
}

/** Why the engine would not do something, in words a handler can read; routes send it as problem+json. */
export interface Refusal {
  status: 403 | 404 | 409 | 422;
  title: string;
  detail: string;
}

export type EngineResult<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

/** What the snapshot route and the live socket send one person. */
export type Snapshot = Extract<LiveEvent, { type: 'snapshot' }>;

/** Who is looking: enough of the signed-in actor to scope a snapshot. */
export interface Viewer {
  userId: string;
  role: 'handler' | 'supervisor' | 'admin';
  teamIds: string[];
}

interface HandlerEntry {
  status: HandlerStatus;
  /** When they last became available (ms): the longest-idle order. Kept while ringing so a withdrawn offer is fair. */
  idleSince: number;
  skills: Set<string>;
  /** The call ringing at this handler, if any. */
  offerCallId: string | null;
  wrapUpTimer: TimerHandle | null;
}

interface CallEntry {
  call: Call;
  /** Arrival order, to break ties between calls that joined a queue in the same millisecond. */
  seq: number;
  queuedAtMs: number;
  offer: { handlerId: string; expiresAt: number; timer: TimerHandle } | null;
  /** Handlers who declined this call or let it ring out: it goes to them only when nobody else is free. */
  passedBy: Set<string>;
  offers: number;
  /** The consulted colleague's idle time before a warm transfer, restored if the consult is cancelled. */
  consultIdleSince: number | null;
  /** Team of the handler the call was last with, for the record. */
  teamId: string | null;
}

interface QueueEntry {
  id: string;
  name: string;
  caseType: CaseType | null;
  waiting: SortedSet<CallEntry>;
  available: SortedSet<HandlerEntry>;
  byState: Record<HandlerState, number>;
  answered: number;
  abandoned: number;
  withinTarget: number;
  totalAnswerWaitMs: number;
}

const byWait = (a: CallEntry, b: CallEntry) => a.queuedAtMs - b.queuedAtMs || a.seq - b.seq;
const byIdle = (a: HandlerEntry, b: HandlerEntry) => a.idleSince - b.idleSince || (a.status.handlerId < b.status.handlerId ? -1 : a.status.handlerId > b.status.handlerId ? 1 : 0);

function emptyByState(): Record<HandlerState, number> {
  return Object.fromEntries(handlerStates.map((state) => [state, 0])) as Record<HandlerState, number>;
}

function refuse(status: Refusal['status'], title: string, detail: string): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: { status, title, detail } };
}

function done<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/**
 * The instant (ms) of local midnight in `timeZone` at the start of the day `dayOffset` days after the day of `ms`:
 * 0 for the start of that day, 1 for the start of the next. "Today" on a UK line is the UK's day, not UTC's.
 */
export function localMidnight(ms: number, timeZone: string, dayOffset: number): number {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' });
  const wall = (at: number) => {
    const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
    return { y: Number(parts.year), m: Number(parts.month) - 1, d: Number(parts.day), wallMs: Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) };
  };
  const offsetAt = (at: number) => wall(at).wallMs - Math.floor(at / 1000) * 1000;
  const today = wall(ms);
  const midnightWall = Date.UTC(today.y, today.m, today.d + dayOffset);
  const guess = midnightWall - offsetAt(midnightWall);
  return midnightWall - offsetAt(guess);
}

/**
 * The routing engine: who is offered which call, and every call's and handler's state.
 *
 * Routing runs on ONE API instance: the state here is in memory and authoritative, so two instances must not both
 * route the same line (the provider's webhooks and the desktops' call-control requests go to the routing instance).
 * Live events still fan out to every instance through the LiveBus, so a desktop connected anywhere sees them.
 *
 * Each queue keeps its available handlers in a sorted set by idle time and its waiting callers by arrival, so a
 * routing decision is a look at the first entry of a few sorted sets, never a scan and sort of every handler.
 * State changes happen synchronously (no await between reading and changing state), so no call can be offered to
 * two handlers at once; the provider is told afterwards.
 */
export function createRoutingEngine(deps: RoutingEngineDeps) {
  const { clock, scheduler, provider, bus, store, settings } = deps;
  const offerTimeoutMs = settings.offerTimeoutMs ?? DEFAULT_OFFER_TIMEOUT_MS;
  const wrapUpMs = settings.wrapUpMs ?? DEFAULT_WRAP_UP_MS;
  const targetMs = settings.serviceLevelTargetMs ?? DEFAULT_SERVICE_LEVEL_TARGET_MS;
  const timeZone = settings.timeZone ?? 'Europe/London';
  const newId = deps.newId ?? randomUUID;
  const iso = (ms: number) => new Date(ms).toISOString();

  const handlers = new Map<string, HandlerEntry>();
  const calls = new Map<string, CallEntry>();
  /** The provider's call id to the engine's current call for it (a transfer moves the caller to a new call). */
  const byProviderCallId = new Map<string, string>();
  const queues = new Map<string, QueueEntry>();
  /** Saved skills by handler; handlers with none saved may take every queue. */
  let savedSkills = new Map<string, string[]>();
  let seq = 0;
  let dayEndsAt = localMidnight(clock.now(), timeZone, 1);
  let writes: Promise<void> = Promise.resolve();
  let stateLog: HandlerStateEntry[] = [];
  let dispatching = false;

  // ---- persistence: queued in order, never awaited by a routing decision ----

  function persist(what: string, write: (store: TelephonyStore) => Promise<unknown>) {
    if (!store) return;
    // Each write waits for the event loop's next turn first: on SQLite a write is synchronous and waits for the disk,
    // so run at once it would hold back the offer it records from reaching the desks' sockets (the embedded API
    // shares the desk's process). Writes stay in order.
    writes = writes
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(
        () => write(store).then(() => undefined),
        () => undefined,
      )
      .catch((error: unknown) => deps.logger?.error({ err: error, what }, 'telephony write failed'));
  }

  function logState(entry: HandlerEntry) {
    if (!store) return;
    stateLog.push({ handlerId: entry.status.handlerId, state: entry.status.state, breakReason: entry.status.breakReason, callId: entry.status.currentCallId, at: entry.status.since });
    if (stateLog.length === 1) {
      persist('handler state log', (s) => {
        const batch = stateLog;
        stateLog = [];
        return s.logHandlerStates(batch);
      });
    }
  }

  function recordOf(entry: CallEntry): CallRecord {
    const { call } = entry;
    const ms = (value: string | null) => (value === null ? null : Date.parse(value));
    const answered = ms(call.answeredAt);
    const ended = ms(call.endedAt);
    const wrapEnded = ms(call.wrapUpEndedAt);
    const queued = ms(call.enteredQueueAt);
    const answerWaitMs = answered !== null && queued !== null ? answered - queued : null;
    const talkMs = answered !== null && ended !== null ? Math.max(0, ended - answered - call.heldMs) : null;
    const wrapMs = ended !== null && wrapEnded !== null && answered !== null ? wrapEnded - ended : null;
    return {
      id: call.id,
      provider: call.provider,
      providerCallId: call.providerCallId,
      direction: call.direction,
      queueId: call.queueId,
      caseType: call.caseType,
      from: call.from,
      handlerId: call.handlerId,
      teamId: entry.teamId,
      caseId: call.caseId,
      transferredFromCallId: call.transferredFromCallId ?? null,
      enteredQueueAt: call.enteredQueueAt,
      offeredAt: call.offeredAt,
      answeredAt: call.answeredAt,
      heldMs: call.heldMs,
      endedAt: call.endedAt,
      wrapUpEndedAt: call.wrapUpEndedAt,
      outcome: call.outcome ?? 'unknown',
      dispositionId: call.dispositionId,
      answerWaitMs,
      talkMs,
      wrapUpMs: wrapMs,
      handleMs: talkMs !== null ? talkMs + call.heldMs + (wrapMs ?? 0) : null,
      withinTarget: answerWaitMs === null ? null : answerWaitMs <= targetMs,
      offers: entry.offers,
    };
  }

  /** The call is done with: written once, and forgotten by the engine. */
  function finish(entry: CallEntry) {
    calls.delete(entry.call.id);
    if (byProviderCallId.get(entry.call.providerCallId) === entry.call.id) byProviderCallId.delete(entry.call.providerCallId);
    const record = recordOf(entry);
    persist('call record', (s) => s.recordCall(record));
  }

  // ---- live events ----

  const everyone: LiveAudience = { userId: null, teamIds: null, minRole: 'handler' };
  const supervisorsOf = (teamIds: string[] | null): LiveAudience => ({ userId: null, teamIds, minRole: 'supervisor' });
  const only = (userId: string): LiveAudience => ({ userId, teamIds: null, minRole: 'handler' });

  function publish(event: LiveEvent, audience: LiveAudience) {
    bus.publish({ event, audience });
  }

  function publishHandler(entry: HandlerEntry) {
    const event: LiveEvent = { type: 'handler', handler: { ...entry.status } };
    publish(event, only(entry.status.handlerId));
    publish(event, supervisorsOf(entry.status.teamIds));
  }

  function publishCall(entry: CallEntry) {
    const event: LiveEvent = { type: 'call', call: { ...entry.call } };
    const handlerId = entry.call.handlerId;
    const handler = handlerId ? handlers.get(handlerId) : undefined;
    if (handler) publish(event, only(handler.status.handlerId));
    const consulted = entry.call.consultHandlerId ? handlers.get(entry.call.consultHandlerId) : undefined;
    if (consulted) publish(event, only(consulted.status.handlerId));
    // A caller waiting in a queue belongs to no team yet: every supervisor watches the queues.
    publish(event, supervisorsOf(handler && handler.status.teamIds.length > 0 ? handler.status.teamIds : null));
  }

  /** Callers ringing at a handler are still waiting for an answer, so they count as waiting in the figures. */
  const ringing = new Map<string, Set<CallEntry>>();

  function queueFigures(queue: QueueEntry): QueueFigures {
    let earliest = queue.waiting.first()?.queuedAtMs ?? Number.POSITIVE_INFINITY;
    const ringingHere = ringing.get(queue.id);
    for (const entry of ringingHere ?? []) earliest = Math.min(earliest, entry.queuedAtMs);
    return {
      queueId: queue.id,
      name: queue.name,
      waiting: queue.waiting.size + (ringingHere?.size ?? 0),
      longestWaitingSince: Number.isFinite(earliest) ? iso(earliest) : null,
      answeredToday: queue.answered,
      abandonedToday: queue.abandoned,
      answeredWithinTargetToday: queue.withinTarget,
      totalAnswerWaitMsToday: queue.totalAnswerWaitMs,
      handlersByState: { ...queue.byState },
    };
  }

  const dirtyQueues = new Set<string>();
  function queueChanged(queueId: string | null) {
    if (queueId !== null) dirtyQueues.add(queueId);
  }
  /** Sends each changed queue's figures once per engine operation, not once per change within it. */
  function flushQueueFigures() {
    for (const id of dirtyQueues) {
      const queue = queues.get(id);
      if (queue) publish({ type: 'queue', figures: queueFigures(queue) }, everyone);
    }
    dirtyQueues.clear();
  }

  // ---- queues and handlers ----

  function rollDay() {
    const now = clock.now();
    if (now < dayEndsAt) return;
    dayEndsAt = localMidnight(now, timeZone, 1);
    for (const queue of queues.values()) {
      queue.answered = 0;
      queue.abandoned = 0;
      queue.withinTarget = 0;
      queue.totalAnswerWaitMs = 0;
    }
    for (const entry of handlers.values()) {
      entry.status.callsHandledToday = 0;
      entry.status.missedOffersToday = 0;
      entry.status.handleMsToday = 0;
    }
  }

  function queueFor(id: string): QueueEntry {
    let queue = queues.get(id);
    if (!queue) {
      const definition = settings.queues().find((q) => q.id === id);
      queue = {
        id,
        name: definition?.name ?? id,
        caseType: definition?.caseType ?? null,
        waiting: new SortedSet(byWait),
        available: new SortedSet(byIdle),
        byState: emptyByState(),
        answered: 0,
        abandoned: 0,
        withinTarget: 0,
        totalAnswerWaitMs: 0,
      };
      queues.set(id, queue);
      for (const entry of handlers.values()) {
        if (!entry.skills.has(id)) continue;
        queue.byState[entry.status.state] += 1;
        if (entry.status.state === 'available') queue.available.add(entry);
      }
    }
    return queue;
  }

  function knownQueueIds(): string[] {
    return settings.queues().map((q) => q.id);
  }

  function skillsFor(handlerId: string): Set<string> {
    return new Set(savedSkills.get(handlerId) ?? knownQueueIds());
  }

  /** Moves a handler to a state: indexes, counts, log and live events all follow from here. */
  function setState(entry: HandlerEntry, state: HandlerState, options: { breakReason?: HandlerStatus['breakReason']; callId?: string | null; idleSince?: number } = {}) {
    const now = clock.now();
    const before = entry.status.state;
    for (const id of entry.skills) {
      const queue = queueFor(id);
      if (before === 'available') queue.available.delete(entry);
      queue.byState[before] -= 1;
      queue.byState[state] += 1;
      queueChanged(id);
    }
    if (state === 'available') entry.idleSince = options.idleSince ?? now;
    for (const id of entry.skills) if (state === 'available') queueFor(id).available.add(entry);
    if (entry.wrapUpTimer && state !== 'wrap-up') {
      scheduler.clearTimeout(entry.wrapUpTimer);
      entry.wrapUpTimer = null;
    }
    entry.status = {
      ...entry.status,
      state,
      since: iso(now),
      breakReason: state === 'break' ? (options.breakReason ?? null) : null,
      currentCallId: options.callId !== undefined ? options.callId : state === 'ringing' || state === 'on-call' || state === 'wrap-up' ? entry.status.currentCallId : null,
      wrapUpEndsAt: state === 'wrap-up' ? iso(now + wrapUpMs) : null,
      wrapUpOverdue: false,
    };
    if (state !== 'ringing') entry.offerCallId = null;
    logState(entry);
    publishHandler(entry);
  }

  function ensureHandler(profile: HandlerProfile): HandlerEntry {
    let entry = handlers.get(profile.handlerId);
    if (entry) {
      if (entry.status.name !== profile.name || entry.status.teamIds.join() !== profile.teamIds.join()) {
        entry.status = { ...entry.status, name: profile.name, teamIds: [...profile.teamIds] };
      }
      return entry;
    }
    const skills = skillsFor(profile.handlerId);
    entry = {
      status: {
        handlerId: profile.handlerId,
        name: profile.name,
        teamIds: [...profile.teamIds],
        skills: [...skills],
        state: 'offline',
        breakReason: null,
        since: iso(clock.now()),
        currentCallId: null,
        callsHandledToday: 0,
        missedOffersToday: 0,
        handleMsToday: 0,
        wrapUpEndsAt: null,
        wrapUpOverdue: false,
      },
      idleSince: clock.now(),
      skills,
      offerCallId: null,
      wrapUpTimer: null,
    };
    handlers.set(profile.handlerId, entry);
    for (const id of skills) queueFor(id).byState.offline += 1;
    return entry;
  }

  // ---- offers and dispatch ----

  /**
   * The longest-idle available handler of the queue who has not already declined this call or let it ring out. A
   * caller everyone free has passed on waits for the next handler to become free, rather than ringing the same
   * person again and again; other callers behind them are still offered.
   */
  function firstFree(queue: QueueEntry, call: CallEntry): HandlerEntry | undefined {
    if (call.passedBy.size === 0) return queue.available.first();
    for (const handler of queue.available) if (!call.passedBy.has(handler.status.handlerId)) return handler;
    return undefined;
  }

  /**
   * Offers waiting callers to free handlers until no waiting caller has a free handler with the skill. Across
   * queues, the caller who has waited longest goes first.
   */
  function dispatch() {
    if (dispatching) return;
    dispatching = true;
    try {
      for (;;) {
        let best: { call: CallEntry; handler: HandlerEntry } | null = null;
        for (const queue of queues.values()) {
          if (queue.waiting.size === 0 || queue.available.size === 0) continue;
          for (const call of queue.waiting) {
            if (best && byWait(best.call, call) < 0) break;
            const handler = firstFree(queue, call);
            if (handler) {
              best = { call, handler };
              break;
            }
          }
        }
        if (!best) return;
        offer(best.call, best.handler);
      }
    } finally {
      dispatching = false;
    }
  }

  function offer(entry: CallEntry, handler: HandlerEntry) {
    const now = clock.now();
    if (entry.call.queueId) {
      queueFor(entry.call.queueId).waiting.delete(entry);
      addRinging(entry);
    }
    const expiresAt = now + offerTimeoutMs;
    const callId = entry.call.id;
    const timer = scheduler.setTimeout(() => offerTimedOut(callId, handler.status.handlerId), offerTimeoutMs);
    entry.offer = { handlerId: handler.status.handlerId, expiresAt, timer };
    entry.offers += 1;
    entry.call = { ...entry.call, state: 'offered', handlerId: handler.status.handlerId, offeredAt: entry.call.offeredAt ?? iso(now) };
    entry.teamId = handler.status.teamIds[0] ?? null;
    handler.offerCallId = callId;
    setState(handler, 'ringing', { callId });
    const event: Offer = { call: { ...entry.call }, handlerId: handler.status.handlerId, expiresAt: iso(expiresAt) };
    publish({ type: 'offer', offer: event }, only(handler.status.handlerId));
    publishCall(entry);
  }

  function addRinging(entry: CallEntry) {
    const id = entry.call.queueId!;
    let set = ringing.get(id);
    if (!set) ringing.set(id, (set = new Set()));
    set.add(entry);
    queueChanged(id);
  }

  function removeRinging(entry: CallEntry) {
    if (entry.call.queueId && ringing.get(entry.call.queueId)?.delete(entry)) queueChanged(entry.call.queueId);
  }

  /** Takes the offer back from its handler; the caller is back at the front of the queue (by their arrival). */
  function withdrawOffer(entry: CallEntry, reason: 'timeout' | 'abandoned' | 'answered-elsewhere' | 'declined') {
    const current = entry.offer;
    if (!current) return null;
    scheduler.clearTimeout(current.timer);
    entry.offer = null;
    removeRinging(entry);
    publish({ type: 'offer.withdrawn', callId: entry.call.id, handlerId: current.handlerId, reason }, only(current.handlerId));
    return handlers.get(current.handlerId) ?? null;
  }

  function requeue(entry: CallEntry) {
    entry.call = { ...entry.call, state: 'waiting', handlerId: null };
    if (entry.call.queueId) {
      queueFor(entry.call.queueId).waiting.add(entry);
      queueChanged(entry.call.queueId);
    }
    publishCall(entry);
  }

  function offerTimedOut(callId: string, handlerId: string) {
    const entry = calls.get(callId);
    if (!entry?.offer || entry.offer.handlerId !== handlerId) return;
    rollDay();
    const handler = withdrawOffer(entry, 'timeout');
    entry.passedBy.add(handlerId);
    if (handler) {
      handler.status = { ...handler.status, missedOffersToday: handler.status.missedOffersToday + 1 };
      setState(handler, 'not-responding');
    }
    if (entry.call.queueId) requeue(entry);
    else endUnanswered(entry, 'no-answer');
    dispatch();
    flushQueueFigures();
  }

  // ---- helpers for calls ----

  function refuseNotYours(callId: string): { ok: false; refusal: Refusal } {
    return refuse(409, 'That call is not yours', `Call ${callId} is not with you. It may have been answered by a colleague, or the caller hung up.`);
  }

  /** The call if it is with this handler in one of these states. */
  function callOf(handlerId: string, callId: string, states: readonly Call['state'][]): EngineResult<CallEntry> {
    const entry = calls.get(callId);
    if (!entry || entry.call.handlerId !== handlerId) return refuseNotYours(callId);
    if (!states.includes(entry.call.state)) {
      return refuse(409, 'Not possible now', `The call is ${entry.call.state === 'wrap-up' ? 'in wrap-up' : entry.call.state}, so that cannot be done to it now.`);
    }
    return done(entry);
  }

  function endHold(entry: CallEntry, now: number) {
    if (entry.call.holdStartedAt) {
      entry.call = { ...entry.call, heldMs: entry.call.heldMs + Math.max(0, now - Date.parse(entry.call.holdStartedAt)), holdStartedAt: null };
    }
  }

  /** The talking is over: the handler goes to wrap-up with its timer. */
  function endConnected(entry: CallEntry, outcome: string) {
    const now = clock.now();
    endHold(entry, now);
    releaseConsult(entry);
    entry.call = { ...entry.call, state: 'wrap-up', endedAt: iso(now), outcome };
    byProviderCallId.delete(entry.call.providerCallId);
    const handler = entry.call.handlerId ? handlers.get(entry.call.handlerId) : undefined;
    if (handler) {
      setState(handler, 'wrap-up', { callId: entry.call.id });
      const handlerId = handler.status.handlerId;
      handler.wrapUpTimer = scheduler.setTimeout(() => wrapUpOverdue(handlerId), wrapUpMs);
    }
    publishCall(entry);
  }

  function wrapUpOverdue(handlerId: string) {
    const handler = handlers.get(handlerId);
    if (!handler || handler.status.state !== 'wrap-up') return;
    handler.wrapUpTimer = null;
    handler.status = { ...handler.status, wrapUpOverdue: true };
    publishHandler(handler);
  }

  /** A call that never reached a handler: abandoned, no answer or failed. Written and forgotten. */
  function endUnanswered(entry: CallEntry, outcome: 'abandoned' | 'no-answer' | 'failed') {
    const now = clock.now();
    entry.call = { ...entry.call, state: outcome === 'abandoned' ? 'abandoned' : 'completed', endedAt: iso(now), outcome, handlerId: null };
    if (entry.call.queueId && outcome === 'abandoned') {
      const queue = queueFor(entry.call.queueId);
      queue.abandoned += 1;
      queueChanged(queue.id);
    }
    publishCall(entry);
    finish(entry);
  }

  /** A warm transfer's consulted colleague goes back to what they were doing before: waiting for calls. */
  function releaseConsult(entry: CallEntry) {
    const consultId = entry.call.consultHandlerId;
    if (!consultId) return;
    const consulted = handlers.get(consultId);
    entry.call = { ...entry.call, consultHandlerId: null };
    if (consulted && consulted.status.currentCallId === entry.call.id) setState(consulted, 'available', { callId: null, idleSince: entry.consultIdleSince ?? clock.now() });
    entry.consultIdleSince = null;
  }

  function newCall(fields: Partial<Call> & Pick<Call, 'providerCallId' | 'provider' | 'direction' | 'from'>): CallEntry {
    // Consult and transfer bookkeeping start empty too; the shared blank call has the rest.
    const call: Call = blankCall({ consultHandlerId: null, transferredFromCallId: null, ...fields, id: newId() });
    const entry: CallEntry = { call, seq: ++seq, queuedAtMs: call.enteredQueueAt ? Date.parse(call.enteredQueueAt) : clock.now(), offer: null, passedBy: new Set(), offers: 0, consultIdleSince: null, teamId: null };
    calls.set(call.id, entry);
    byProviderCallId.set(call.providerCallId, call.id);
    return entry;
  }

  /** Tells the provider, after the state has changed; a provider failure is logged, never left unhandled. */
  function tell(what: string, action: () => Promise<unknown>): Promise<void> {
    return action().then(
      () => undefined,
      (error: unknown) => deps.logger?.error({ err: error, what }, 'telephony provider call failed'),
    );
  }

  /** Runs one engine operation: the day's counters roll over first; queue figures go out once, at the end. */
  function operation<T>(body: () => T): T {
    rollDay();
    try {
      return body();
    } finally {
      flushQueueFigures();
    }
  }

  // ---- what providers call ----

  const events: TelephonyEvents = {
    callerQueued(input) {
      return operation(() => {
        const queue = queueFor(input.queueId);
        const entry = newCall({
          provider: input.provider,
          providerCallId: input.providerCallId,
          direction: 'inbound',
          from: input.from,
          queueId: queue.id,
          caseType: queue.caseType,
          enteredQueueAt: iso(clock.now()),
          script: input.script ?? null,
        });
        queue.waiting.add(entry);
        queueChanged(queue.id);
        publishCall(entry);
        dispatch();
        return { ...entry.call };
      });
    },
    callerHungUp(providerCallId) {
      operation(() => {
        const callId = byProviderCallId.get(providerCallId);
        const entry = callId ? calls.get(callId) : undefined;
        if (!entry) return;
        switch (entry.call.state) {
          case 'waiting':
            if (entry.call.queueId) queueFor(entry.call.queueId).waiting.delete(entry);
            endUnanswered(entry, 'abandoned');
            return;
          case 'offered': {
            const handler = withdrawOffer(entry, 'abandoned');
            // Not the handler's fault: they keep their place in the idle order.
            if (handler) setState(handler, 'available', { callId: null, idleSince: handler.idleSince });
            endUnanswered(entry, entry.call.queueId ? 'abandoned' : 'no-answer');
            dispatch();
            return;
          }
          case 'connected':
          case 'held':
            endConnected(entry, 'answered');
            return;
          case 'wrap-up':
          case 'completed':
          case 'abandoned':
            return;
        }
      });
    },
  };

  // ---- what handlers and supervisors ask for ----

  function setHandlerState(profile: HandlerProfile, input: SetAgentStateInput, by: 'self' | 'supervisor'): EngineResult<HandlerStatus> {
    return operation(() => {
      const entry = ensureHandler(profile);
      const current = entry.status.state;
      if (current === 'on-call') return refuse(409, 'On a call', by === 'self' ? 'Finish your call before you change your state.' : `${entry.status.name} is on a call; their state changes when it ends.`);
      if (current === 'wrap-up') {
        return refuse(409, 'Wrap-up not finished', by === 'self' ? 'Choose a disposition for your last call first; then you can change your state.' : `${entry.status.name} is wrapping up a call and must choose a disposition first.`);
      }
      if (current === 'ringing') {
        if (by === 'self') return refuse(409, 'A call is ringing', 'Answer or decline the ringing call first.');
        const callId = entry.offerCallId;
        const call = callId ? calls.get(callId) : undefined;
        if (call) {
          withdrawOffer(call, 'declined');
          call.passedBy.add(entry.status.handlerId);
          requeue(call);
        }
      }
      const reason = input.state === 'break' ? input.reason : null;
      if (current === input.state && entry.status.breakReason === reason) return done({ ...entry.status });
      setState(entry, input.state, { breakReason: reason, callId: null });
      dispatch();
      return done({ ...entry.status });
    });
  }

  function answer(handlerId: string, callId: string): EngineResult<Call> {
    return operation(() => {
      const entry = calls.get(callId);
      if (!entry?.offer || entry.offer.handlerId !== handlerId) {
        return refuse(409, 'That call is not ringing for you', `The call is no longer ringing for you: a colleague answered it, the caller hung up, or it went to the next handler after ${Math.round(offerTimeoutMs / 1000)} seconds.`);
      }
      const handler = withdrawOffer(entry, 'answered-elsewhere');
      const now = clock.now();
      entry.call = { ...entry.call, state: 'connected', answeredAt: iso(now) };
      if (entry.call.queueId && entry.call.enteredQueueAt) {
        const queue = queueFor(entry.call.queueId);
        const wait = now - Date.parse(entry.call.enteredQueueAt);
        queue.answered += 1;
        queue.totalAnswerWaitMs += wait;
        if (wait <= targetMs) queue.withinTarget += 1;
        queueChanged(queue.id);
      }
      if (handler) setState(handler, 'on-call', { callId });
      publishCall(entry);
      const call = { ...entry.call };
      void provider.connect(call, handlerId).catch((error: unknown) => {
        // The line could not be bridged (the caller went in the meantime): the handler wraps up what they have.
        deps.logger?.error({ err: error }, 'could not connect the caller');
        operation(() => {
          const current = calls.get(callId);
          if (current && (current.call.state === 'connected' || current.call.state === 'held')) endConnected(current, 'failed');
        });
      });
      return done(call);
    });
  }

  function decline(handlerId: string, callId: string): EngineResult<null> {
    return operation(() => {
      const entry = calls.get(callId);
      if (!entry?.offer || entry.offer.handlerId !== handlerId) return refuse(409, 'That call is not ringing for you', 'There is nothing to decline: the call is no longer ringing for you.');
      const handler = withdrawOffer(entry, 'declined');
      entry.passedBy.add(handlerId);
      // Declining puts the handler at the back of the idle order.
      if (handler) setState(handler, 'available', { callId: null });
      if (entry.call.queueId) requeue(entry);
      else endUnanswered(entry, 'no-answer');
      dispatch();
      return done(null);
    });
  }

  function hold(handlerId: string, callId: string, on: boolean): EngineResult<Call> {
    return operation(() => {
      const found = callOf(handlerId, callId, ['connected', 'held']);
      if (!found.ok) return found;
      const entry = found.value;
      if (on && entry.call.state === 'connected') entry.call = { ...entry.call, state: 'held', holdStartedAt: iso(clock.now()) };
      else if (!on && entry.call.state === 'held') {
        if (entry.call.consultHandlerId) return refuse(409, 'In a consult', 'Finish or cancel the consult with your colleague before you take the caller off hold.');
        endHold(entry, clock.now());
        entry.call = { ...entry.call, state: 'connected' };
      } else return done({ ...entry.call });
      publishCall(entry);
      const call = { ...entry.call };
      void tell('hold', () => provider.hold(call, on));
      return done(call);
    });
  }

  function hangUp(handlerId: string, callId: string): EngineResult<Call> {
    return operation(() => {
      const found = callOf(handlerId, callId, ['connected', 'held']);
      if (!found.ok) return found;
      const entry = found.value;
      const onLine = { ...entry.call };
      endConnected(entry, 'answered');
      void tell('hang up', () => provider.hangUp(onLine));
      return done({ ...entry.call });
    });
  }

  function wrapUp(handlerId: string, callId: string, input: { dispositionId: string; caseId?: string | null | undefined }): EngineResult<Call> {
    return operation(() => {
      const entry = calls.get(callId);
      if (!entry || entry.call.handlerId !== handlerId) return refuseNotYours(callId);
      if (entry.call.state !== 'wrap-up') return refuse(409, 'Not in wrap-up', 'Wrap-up comes after the call ends: hang up first.');
      const known = settings.dispositionIds?.();
      if (known && !known.includes(input.dispositionId)) return refuse(422, 'Unknown disposition', 'Choose one of the dispositions in the list.');
      entry.call = {
        ...entry.call,
        state: 'completed',
        dispositionId: input.dispositionId,
        caseId: input.caseId ?? entry.call.caseId,
        wrapUpEndedAt: iso(clock.now()),
      };
      const handler = handlers.get(handlerId);
      if (handler && handler.status.currentCallId === callId) {
        const handleMs = recordOf(entry).handleMs ?? 0;
        handler.status = { ...handler.status, callsHandledToday: handler.status.callsHandledToday + 1, handleMsToday: (handler.status.handleMsToday ?? 0) + handleMs };
        setState(handler, 'available', { callId: null });
      }
      publishCall(entry);
      const call = { ...entry.call };
      finish(entry);
      dispatch();
      return done(call);
    });
  }

  function linkCase(handlerId: string, callId: string, caseId: string): EngineResult<Call> {
    return operation(() => {
      const found = callOf(handlerId, callId, ['connected', 'held', 'wrap-up']);
      if (!found.ok) return found;
      found.value.call = { ...found.value.call, caseId };
      publishCall(found.value);
      return done({ ...found.value.call });
    });
  }

  /** Picks who takes a transfer or a consult: a named handler who is free, or the longest idle in a queue. */
  function transferTarget(fromHandlerId: string, target: TransferTarget): EngineResult<HandlerEntry> {
    if (target.kind === 'handler') {
      if (target.handlerId === fromHandlerId) return refuse(422, 'That is you', 'Choose a colleague to transfer to.');
      const handler = handlers.get(target.handlerId);
      if (!handler || handler.status.state !== 'available') {
        return refuse(409, 'Colleague not available', `${handler?.status.name ?? 'That colleague'} is not available to take the call. Try another colleague or a queue.`);
      }
      return done(handler);
    }
    const queue = queueFor(target.queueId);
    const handler = [...queue.available].find((h) => h.status.handlerId !== fromHandlerId);
    if (!handler) return refuse(409, 'Nobody free in that queue', `Nobody in ${queue.name} is free to talk to. Transfer the caller to the queue (cold) instead.`);
    return done(handler);
  }

  /** The first handler's part of the call ends; a new call record carries the caller on to the next. */
  function handOver(entry: CallEntry, fields: Partial<Call>): CallEntry {
    const old = entry.call;
    endConnected(entry, 'transferred');
    return newCall({
      provider: old.provider,
      providerCallId: old.providerCallId,
      direction: old.direction,
      from: old.from,
      queueId: old.queueId,
      caseType: old.caseType,
      caseId: old.caseId,
      script: old.script,
      transferredFromCallId: old.id,
      ...fields,
    });
  }

  function transfer(handlerId: string, callId: string, target: TransferTarget, mode: 'cold' | 'warm'): EngineResult<Call> {
    return operation(() => {
      const found = callOf(handlerId, callId, ['connected', 'held']);
      if (!found.ok) return found;
      const entry = found.value;
      if (entry.call.consultHandlerId) return refuse(409, 'Already consulting', 'Finish or cancel the consult first.');
      if (mode === 'warm') {
        const picked = transferTarget(handlerId, target);
        if (!picked.ok) return picked;
        const consulted = picked.value;
        const now = clock.now();
        entry.consultIdleSince = consulted.idleSince;
        entry.call = { ...entry.call, state: 'held', holdStartedAt: entry.call.holdStartedAt ?? iso(now), consultHandlerId: consulted.status.handlerId };
        setState(consulted, 'on-call', { callId });
        publishCall(entry);
        const call = { ...entry.call };
        void tell('consult', () => provider.transfer(call, { kind: 'handler', handlerId: consulted.status.handlerId }, 'warm'));
        return done(call);
      }
      if (target.kind === 'queue') {
        if (!settings.queues().some((q) => q.id === target.queueId)) return refuse(422, 'Unknown queue', 'Choose one of the line’s queues.');
        const onLine = { ...entry.call };
        const queue = queueFor(target.queueId);
        const next = handOver(entry, { queueId: queue.id, caseType: queue.caseType, enteredQueueAt: iso(clock.now()) });
        queue.waiting.add(next);
        queueChanged(queue.id);
        publishCall(next);
        void tell('transfer', () => provider.transfer(onLine, target, 'cold'));
        dispatch();
        return done({ ...next.call });
      }
      const picked = transferTarget(handlerId, target);
      if (!picked.ok) return picked;
      const onLine = { ...entry.call };
      const next = handOver(entry, { enteredQueueAt: iso(clock.now()) });
      offer(next, picked.value);
      void tell('transfer', () => provider.transfer(onLine, target, 'cold'));
      return done({ ...next.call });
    });
  }

  function completeConsult(handlerId: string, callId: string): EngineResult<Call> {
    return operation(() => {
      const found = callOf(handlerId, callId, ['held']);
      if (!found.ok) return found;
      const entry = found.value;
      const consultId = entry.call.consultHandlerId;
      const consulted = consultId ? handlers.get(consultId) : undefined;
      if (!consulted) return refuse(409, 'No consult', 'There is no consult on this call to complete.');
      entry.call = { ...entry.call, consultHandlerId: null };
      entry.consultIdleSince = null;
      const onLine = { ...entry.call };
      const now = iso(clock.now());
      const next = handOver(entry, { state: 'connected', handlerId: consulted.status.handlerId, offeredAt: now, answeredAt: now });
      next.teamId = consulted.status.teamIds[0] ?? null;
      setState(consulted, 'on-call', { callId: next.call.id });
      publishCall(next);
      const call = { ...next.call };
      void tell('complete consult', async () => {
        if (provider.completeConsult) await provider.completeConsult(onLine, consulted.status.handlerId);
        else await provider.transfer(onLine, { kind: 'handler', handlerId: consulted.status.handlerId }, 'cold');
      });
      return done(call);
    });
  }

  function cancelConsult(handlerId: string, callId: string): EngineResult<Call> {
    return operation(() => {
      const found = callOf(handlerId, callId, ['held']);
      if (!found.ok) return found;
      const entry = found.value;
      const consultId = entry.call.consultHandlerId;
      if (!consultId) return refuse(409, 'No consult', 'There is no consult on this call to cancel.');
      releaseConsult(entry);
      publishCall(entry);
      const call = { ...entry.call };
      void tell('cancel consult', async () => provider.cancelConsult?.(call, consultId));
      return done(call);
    });
  }

  /** Click to call: the handler is on the call at once; the provider dials and reports its id. */
  function dialOut(profile: HandlerProfile, to: string, caseId: string | null): EngineResult<{ call: Call; dialled: Promise<void> }> {
    return operation(() => {
      const handler = ensureHandler(profile);
      const state = handler.status.state;
      if (state === 'offline') return refuse(409, 'You are offline', 'Set yourself available (or on a break) before you make a call.');
      if (state === 'ringing' || state === 'on-call' || state === 'wrap-up') return refuse(409, 'Busy', state === 'wrap-up' ? 'Choose a disposition for your last call before you make another.' : 'Finish the current call before you make another.');
      const now = iso(clock.now());
      const pending = `pending:${newId()}`;
      const entry = newCall({ provider: provider.name, providerCallId: pending, direction: 'outbound', from: to, state: 'connected', handlerId: handler.status.handlerId, caseId, offeredAt: now, answeredAt: now });
      entry.teamId = handler.status.teamIds[0] ?? null;
      setState(handler, 'on-call', { callId: entry.call.id });
      publishCall(entry);
      const dialled = provider.dialOut(handler.status.handlerId, to).then(
        ({ providerCallId }) => {
          byProviderCallId.delete(pending);
          const current = calls.get(entry.call.id);
          if (!current) return;
          current.call = { ...current.call, providerCallId };
          if (current.call.state === 'connected' || current.call.state === 'held') byProviderCallId.set(providerCallId, current.call.id);
          publishCall(current);
        },
        (error: unknown) => {
          deps.logger?.error({ err: error }, 'outbound call failed');
          operation(() => {
            const current = calls.get(entry.call.id);
            if (!current || (current.call.state !== 'connected' && current.call.state !== 'held')) return;
            byProviderCallId.delete(pending);
            current.call = { ...current.call, state: 'completed', endedAt: iso(clock.now()), outcome: 'failed' };
            if (handler.status.currentCallId === current.call.id) setState(handler, 'available', { callId: null });
            publishCall(current);
            finish(current);
            dispatch();
          });
        },
      );
      return done({ call: { ...entry.call }, dialled });
    });
  }

  function setSkills(profile: HandlerProfile, queueIds: readonly string[]): HandlerStatus {
    return operation(() => {
      const entry = ensureHandler(profile);
      savedSkills.set(profile.handlerId, [...queueIds]);
      const state = entry.status.state;
      for (const id of entry.skills) {
        const queue = queueFor(id);
        if (state === 'available') queue.available.delete(entry);
        queue.byState[state] -= 1;
        queueChanged(id);
      }
      entry.skills = new Set(queueIds);
      for (const id of entry.skills) {
        const queue = queueFor(id);
        if (state === 'available') queue.available.add(entry);
        queue.byState[state] += 1;
        queueChanged(id);
      }
      entry.status = { ...entry.status, skills: [...entry.skills] };
      publishHandler(entry);
      dispatch();
      return { ...entry.status };
    });
  }

  /**
   * A supervisor (or admin) listens to, or whispers into, a live call of their team. Only a Twilio call has audio to
   * join; a simulated call is refused with a sentence the supervisor can read. The provider is asked after the checks;
   * `monitored` settles when it has added the supervisor, so the route can report a line that refused.
   */
  function monitor(viewer: Viewer, callId: string, mode: 'listen' | 'whisper'): EngineResult<{ call: Call; monitored: Promise<void> }> {
    if (viewer.role === 'handler') return refuse(403, 'Supervisors only', 'Only a supervisor or an admin can listen in to a call.');
    const entry = calls.get(callId);
    if (!entry || (entry.call.state !== 'connected' && entry.call.state !== 'held')) {
      return refuse(409, 'Not a live call', 'That call is not in progress any more, so there is nothing to listen to.');
    }
    const handler = entry.call.handlerId ? handlers.get(entry.call.handlerId) : undefined;
    if (viewer.role !== 'admin' && !(handler?.status.teamIds ?? []).some((id) => viewer.teamIds.includes(id))) {
      return refuse(403, 'Not your team', 'That call is with a handler outside the teams you supervise.');
    }
    if (entry.call.provider !== 'twilio') return refuse(409, 'Not on Twilio', 'Listening in needs the Twilio line; this line is simulated.');
    const call = { ...entry.call };
    return done({ call, monitored: provider.monitor(call, viewer.userId, mode) });
  }

  function allQueueFigures(): QueueFigures[] {
    for (const definition of settings.queues()) queueFor(definition.id);
    return [...queues.values()].map(queueFigures);
  }

  /** What one person may see now: a handler their own state, call and offer and their queues; supervisors their teams. */
  function snapshot(viewer: Viewer): Snapshot {
    rollDay();
    const at = iso(clock.now());
    const figures = allQueueFigures();
    const offers: Offer[] = [];
    for (const entry of calls.values()) {
      if (entry.offer && entry.offer.handlerId === viewer.userId) offers.push({ call: { ...entry.call }, handlerId: viewer.userId, expiresAt: iso(entry.offer.expiresAt) });
    }
    if (viewer.role === 'handler') {
      const own = handlers.get(viewer.userId);
      const skills = own?.skills ?? skillsFor(viewer.userId);
      return {
        type: 'snapshot',
        handlers: own ? [{ ...own.status }] : [],
        calls: [...calls.values()].filter((entry) => entry.call.handlerId === viewer.userId || entry.call.consultHandlerId === viewer.userId).map((entry) => ({ ...entry.call })),
        queues: figures.filter((figure) => skills.has(figure.queueId)),
        at,
        offers,
      };
    }
    const inTeams = (teamIds: string[]) => viewer.role === 'admin' || teamIds.some((id) => viewer.teamIds.includes(id));
    const visible = [...handlers.values()].filter((entry) => inTeams(entry.status.teamIds));
    const visibleIds = new Set(visible.map((entry) => entry.status.handlerId));
    return {
      type: 'snapshot',
      handlers: visible.map((entry) => ({ ...entry.status })),
      calls: [...calls.values()].filter((entry) => entry.call.handlerId === null || visibleIds.has(entry.call.handlerId) || viewer.role === 'admin').map((entry) => ({ ...entry.call })),
      queues: figures,
      at,
      offers,
    };
  }

  return {
    /** What providers call into: a caller queued, a caller hung up. */
    events,
    /** Loads saved skills and today's figures from the store; call once before taking calls. */
    async start(): Promise<void> {
      if (!store) return;
      savedSkills = await store.allSkills();
      for (const totals of await store.queueTotalsSince(iso(localMidnight(clock.now(), timeZone, 0)))) {
        const queue = queueFor(totals.queueId);
        queue.answered = totals.answered;
        queue.abandoned = totals.abandoned;
        queue.withinTarget = totals.answeredWithinTarget;
        queue.totalAnswerWaitMs = totals.totalAnswerWaitMs;
      }
    },
    registerHandler: (profile: HandlerProfile) => ({ ...ensureHandler(profile).status }),
    /** The line's queues, as the settings give them now. */
    queueDefinitions: (): readonly QueueDefinition[] => settings.queues(),
    setHandlerState,
    answer,
    decline,
    hold,
    hangUp,
    wrapUp,
    linkCase,
    transfer,
    completeConsult,
    cancelConsult,
    dialOut,
    setSkills,
    monitor,
    snapshot,
    handler: (handlerId: string): HandlerStatus | null => {
      const entry = handlers.get(handlerId);
      return entry ? { ...entry.status } : null;
    },
    call: (callId: string): Call | null => {
      const entry = calls.get(callId);
      return entry ? { ...entry.call } : null;
    },
    queueFigures: allQueueFigures,
    /** Calls the engine still holds (waiting, ringing, on a call, in wrap-up). */
    activeCalls: (): Call[] => [...calls.values()].map((entry) => ({ ...entry.call })),
    /** Resolves when every write queued so far has reached the store. */
    flush: (): Promise<void> => writes,
    /** Stops timers and waits for pending writes. */
    async close(): Promise<void> {
      for (const entry of calls.values()) if (entry.offer) scheduler.clearTimeout(entry.offer.timer);
      for (const entry of handlers.values()) if (entry.wrapUpTimer) scheduler.clearTimeout(entry.wrapUpTimer);
      await writes;
    },
  };
}

export type RoutingEngine = ReturnType<typeof createRoutingEngine>;
