import { z } from 'zod';
import { breakReasons } from '../contract/agent-state';
import { caseTypes } from '../domain/case-types';
import { categories } from '../domain/categories';

/**
 * The telephony model the central API, the desktop's main process and the renderer share: handler states, calls,
 * queue figures and the live events that carry them. The API's routing engine is the only writer of these; desktops
 * ask it to change things (answer, hold, wrap up) and see the outcome as live events.
 */

/** Every state a handler can be in. The handler chooses available, break and offline; routing sets the others. */
export const handlerStates = ['available', 'ringing', 'on-call', 'wrap-up', 'break', 'offline', 'not-responding'] as const;
export type HandlerState = (typeof handlerStates)[number];

export const handlerStateLabels: Record<HandlerState, string> = {
  available: 'Available',
  ringing: 'Ringing',
  'on-call': 'On a call',
  'wrap-up': 'Wrap-up',
  break: 'On a break',
  offline: 'Offline',
  'not-responding': 'Not responding',
};

/** Queue ids are reference data (see the demo seed); a queue serves one case type, or any (null). */
export const queueIdSchema = z.string().min(1).max(64);

export const handlerStatusSchema = z.object({
  handlerId: z.string().min(1),
  name: z.string(),
  teamIds: z.array(z.string()),
  /** The queues this handler may be offered calls from. */
  skills: z.array(queueIdSchema),
  state: z.enum(handlerStates),
  breakReason: z.enum(breakReasons).nullable(),
  /** When the handler entered the state (ISO 8601). Longest idle = earliest `since` among the available. */
  since: z.iso.datetime(),
  currentCallId: z.string().nullable(),
  callsHandledToday: z.number().int().nonnegative(),
  missedOffersToday: z.number().int().nonnegative(),
  /** Talk + hold + wrap-up of the calls handled today (ms), so a screen can show average handle time. */
  handleMsToday: z.number().int().nonnegative().optional(),
  /** In wrap-up: when the wrap-up time runs out (ISO 8601), so the desktop can show a countdown. */
  wrapUpEndsAt: z.iso.datetime().nullable().optional(),
  /** In wrap-up past its time without a disposition: the handler still has to choose one before taking calls. */
  wrapUpOverdue: z.boolean().optional(),
});
export type HandlerStatus = z.infer<typeof handlerStatusSchema>;

export const callStates = ['waiting', 'offered', 'connected', 'held', 'wrap-up', 'completed', 'abandoned'] as const;
export type CallState = (typeof callStates)[number];

/** What the simulator's caller says, shown to the handler for training. Never real patient words. */
export const callerScriptSchema = z.object({
  scenario: z.string(),
  lines: z.array(z.string()),
  /** The simulated caller's category of feedback, when the scenario has one, so training can check the case. */
  category: z.enum(categories).nullable().optional(),
  /** The simulated caller's (synthetic) name, as they give it on the line. */
  callerName: z.string().optional(),
  /** The simulated caller says they have rung before about a case still open. */
  mentionsOpenCase: z.boolean().optional(),
});

export const callSchema = z.object({
  id: z.string().min(1),
  /** The provider's own id for the call (Twilio's CallSid), or the simulator's. */
  providerCallId: z.string(),
  provider: z.enum(['twilio', 'simulator']),
  direction: z.enum(['inbound', 'outbound']),
  queueId: queueIdSchema.nullable(),
  caseType: z.enum(caseTypes).nullable(),
  /** The caller's number in E.164. */
  from: z.string(),
  state: z.enum(callStates),
  handlerId: z.string().nullable(),
  /** The case the handler linked to the call, once there is one. */
  caseId: z.string().nullable(),
  enteredQueueAt: z.iso.datetime().nullable(),
  offeredAt: z.iso.datetime().nullable(),
  answeredAt: z.iso.datetime().nullable(),
  holdStartedAt: z.iso.datetime().nullable(),
  heldMs: z.number().int().nonnegative(),
  endedAt: z.iso.datetime().nullable(),
  wrapUpEndedAt: z.iso.datetime().nullable(),
  /** answered, abandoned (caller hung up before answer), no-answer, busy, failed, transferred. */
  outcome: z.string().nullable(),
  dispositionId: z.string().nullable(),
  script: callerScriptSchema.nullable(),
  /** During a warm transfer: the colleague the handler is consulting while the caller holds. */
  consultHandlerId: z.string().nullable().optional(),
  /** A transfer starts a new call record for the next handler; this names the one before it. */
  transferredFromCallId: z.string().nullable().optional(),
});
export type Call = z.infer<typeof callSchema>;

export const queueFiguresSchema = z.object({
  queueId: queueIdSchema,
  name: z.string(),
  waiting: z.number().int().nonnegative(),
  /** When the longest-waiting caller joined the queue, so a screen can tick the wait itself. */
  longestWaitingSince: z.iso.datetime().nullable(),
  answeredToday: z.number().int().nonnegative(),
  abandonedToday: z.number().int().nonnegative(),
  answeredWithinTargetToday: z.number().int().nonnegative(),
  /** Sum of waits of answered calls today, for the average speed of answer. */
  totalAnswerWaitMsToday: z.number().int().nonnegative(),
  handlersByState: z.record(z.enum(handlerStates), z.number().int().nonnegative()),
});
export type QueueFigures = z.infer<typeof queueFiguresSchema>;

/** An offer: a call is ringing at one handler until `expiresAt`, then goes to the next. */
export const offerSchema = z.object({ call: callSchema, handlerId: z.string(), expiresAt: z.iso.datetime() });
export type Offer = z.infer<typeof offerSchema>;

/** A full picture, sent on connect and after a reconnect so no screen stays wrong after missed events. */
export const snapshotEventSchema = z.object({
  type: z.literal('snapshot'),
  handlers: z.array(handlerStatusSchema),
  calls: z.array(callSchema),
  queues: z.array(queueFiguresSchema),
  at: z.iso.datetime(),
  /** Offers ringing now for whoever receives the snapshot, so a desktop that reconnects mid-ring can still answer. */
  offers: z.array(offerSchema).optional(),
});

/** What the API's live WebSocket sends. `seq` increases per API instance connection, for gap detection. */
export const liveEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('offer'), offer: offerSchema }),
  z.object({ type: z.literal('offer.withdrawn'), callId: z.string(), handlerId: z.string(), reason: z.enum(['timeout', 'abandoned', 'answered-elsewhere', 'declined']) }),
  z.object({ type: z.literal('call'), call: callSchema }),
  z.object({ type: z.literal('handler'), handler: handlerStatusSchema }),
  z.object({ type: z.literal('queue'), figures: queueFiguresSchema }),
  /** The change log has new rows for this desk's teams: pull now (a hint; the desk's interval pulls anyway). */
  z.object({ type: z.literal('changes') }),
  snapshotEventSchema,
]);
export type LiveEvent = z.infer<typeof liveEventSchema>;

/** Default time an offer rings at one handler before it goes to the next (a setting). */
export const DEFAULT_OFFER_TIMEOUT_MS = 15_000;
/** Default wrap-up time after a call (a setting). */
export const DEFAULT_WRAP_UP_MS = 60_000;
/** Default service-level target: answered within 60 s (the NHS 111 standard). */
export const DEFAULT_SERVICE_LEVEL_TARGET_MS = 60_000;

/**
 * What a finished call leaves on its case's timeline: when it was offered, answered and ended, how long the caller
 * was held, and how it ended. Written by the handler's desk when wrap-up ends, so it travels with the case by sync.
 */
export const callRecordSchema = z.object({
  callId: z.string().min(1).max(128),
  direction: z.enum(['inbound', 'outbound']),
  queueId: queueIdSchema.nullable(),
  /** The caller's number (inbound) or the number called (outbound), E.164. */
  number: z.string().max(20),
  offeredAt: z.iso.datetime().nullable(),
  answeredAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  heldMs: z.number().int().nonnegative(),
  wrapUpEndedAt: z.iso.datetime().nullable(),
  outcome: z.string().max(40).nullable(),
  dispositionId: z.string().max(128).nullable(),
});
export type CallRecord = z.infer<typeof callRecordSchema>;

/** The record of a finished call, from the engine's view of it. */
export function callRecordOf(call: Call): CallRecord {
  return {
    callId: call.id,
    direction: call.direction,
    queueId: call.queueId,
    number: call.from,
    offeredAt: call.offeredAt,
    answeredAt: call.answeredAt,
    endedAt: call.endedAt,
    heldMs: call.heldMs,
    wrapUpEndedAt: call.wrapUpEndedAt,
    outcome: call.outcome,
    dispositionId: call.dispositionId,
  };
}

/**
 * A call with nothing yet happened to it: waiting, with no queue, handler, case or times. The routing engine starts
 * every call from this, and tests build theirs from it, so a field added to `Call` is defaulted in one place.
 */
export function blankCall(fields: Partial<Call> & Pick<Call, 'id' | 'providerCallId' | 'provider' | 'direction' | 'from'>): Call {
  return {
    queueId: null,
    caseType: null,
    state: 'waiting',
    handlerId: null,
    caseId: null,
    enteredQueueAt: null,
    offeredAt: null,
    answeredAt: null,
    holdStartedAt: null,
    heldMs: 0,
    endedAt: null,
    wrapUpEndedAt: null,
    outcome: null,
    dispositionId: null,
    script: null,
    ...fields,
  };
}
