import { DEFAULT_SERVICE_LEVEL_TARGET_MS, handlerStateLabels, type Call, type HandlerState, type HandlerStatus, type QueueFigures } from '../../../src-shared/telephony/model';

/**
 * The supervisor's live figures, worked out from the live picture the desk holds: pure functions, so the view and
 * its tests agree on what "service level" or "average handle time" means here.
 */

/** What the supervisor set in the view: the service-level target and when a handler counts as stuck. */
export interface LiveSettings {
  /** Share of answered calls that should be answered within the line's target time (0..1; default 0.95). */
  targetShare: number;
  /** The line's target time (ms); the API counts "answered within target" against it (default 60 s). */
  targetMs: number;
  /** A handler in wrap-up or not responding for longer than this raises an alert (default 2 minutes). */
  stuckAfterMs: number;
}

export const DEFAULT_LIVE_SETTINGS: LiveSettings = { targetShare: 0.95, targetMs: DEFAULT_SERVICE_LEVEL_TARGET_MS, stuckAfterMs: 120_000 };

/** A caller waiting past this share of the target time raises an alert, before the target itself is missed. */
export const WAIT_ALERT_SHARE = 0.8;

/** Share of today's answered calls answered within the target, or null before the first answer. */
export function serviceLevel(queue: QueueFigures): number | null {
  return queue.answeredToday === 0 ? null : queue.answeredWithinTargetToday / queue.answeredToday;
}

/** Average speed of answer today (ms), or null before the first answer. */
export function averageSpeedOfAnswer(queue: QueueFigures): number | null {
  return queue.answeredToday === 0 ? null : queue.totalAnswerWaitMsToday / queue.answeredToday;
}

/** How long the longest-waiting caller has waited at `now` (ms), or null when nobody waits. */
export function longestWaitMs(queue: QueueFigures, now: number): number | null {
  return queue.longestWaitingSince === null ? null : Math.max(0, now - Date.parse(queue.longestWaitingSince));
}

/** Average handle time today (talk + hold + wrap-up, ms), or null when the API does not send it or no call was handled. */
export function averageHandleMs(handler: HandlerStatus): number | null {
  if (handler.handleMsToday === undefined || handler.callsHandledToday === 0) return null;
  return handler.handleMsToday / handler.callsHandledToday;
}

export function formatPercent(share: number): string {
  return `${Math.floor(share * 1000) / 10}%`;
}

/** A duration in words a supervisor reads at a glance: "42 s", "1 min", "3 min 05 s". */
export function formatSeconds(ms: number): string {
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  return total % 60 === 0 ? `${minutes} min` : `${minutes} min ${String(total % 60).padStart(2, '0')} s`;
}

export type AlertKind = 'long-wait' | 'service-level' | 'handler-stuck';

export interface LiveAlert {
  /** Stable while the condition lasts, so it is announced once; a new episode gets a new id. */
  id: string;
  kind: AlertKind;
  message: string;
}

/**
 * The alerts the picture raises now. A queue's wait alert lasts while its longest wait is past 80% of the target
 * (one alert per queue for the whole spell, however many callers pass through it, so a busy queue does not nag);
 * its service-level alert while today's level is under the target share; a handler's while they stay in wrap-up or
 * not responding beyond the set time (the id carries when they entered the state, so the next time is a new alert).
 */
export function liveAlerts(queues: readonly QueueFigures[], handlers: readonly HandlerStatus[], now: number, settings: LiveSettings): LiveAlert[] {
  const alerts: LiveAlert[] = [];
  for (const queue of queues) {
    const wait = longestWaitMs(queue, now);
    if (wait !== null && wait > settings.targetMs * WAIT_ALERT_SHARE) {
      alerts.push({ id: `wait:${queue.queueId}`, kind: 'long-wait', message: `${queue.name}: a caller has waited ${formatSeconds(wait)} (target ${formatSeconds(settings.targetMs)}).` });
    }
    const level = serviceLevel(queue);
    if (level !== null && level < settings.targetShare) {
      alerts.push({ id: `service-level:${queue.queueId}`, kind: 'service-level', message: `${queue.name}: service level ${formatPercent(level)} today, below the target of ${formatPercent(settings.targetShare)}.` });
    }
  }
  for (const handler of handlers) {
    if (handler.state !== 'wrap-up' && handler.state !== 'not-responding') continue;
    const inState = now - Date.parse(handler.since);
    if (inState > settings.stuckAfterMs) {
      alerts.push({
        id: `handler:${handler.handlerId}:${handler.state}:${handler.since}`,
        kind: 'handler-stuck',
        message: `${handler.name} has been ${handler.state === 'wrap-up' ? 'in wrap-up' : 'not responding'} for ${formatSeconds(inState)}.`,
      });
    }
  }
  return alerts;
}

export type SortKey = 'name' | 'state' | 'since' | 'calls' | 'aht' | 'missed';
export type SortDirection = 'ascending' | 'descending';

const stateOrder: Record<HandlerState, number> = { 'not-responding': 0, 'wrap-up': 1, ringing: 2, 'on-call': 3, available: 4, break: 5, offline: 6 };

function compareBy(key: SortKey): (a: HandlerStatus, b: HandlerStatus) => number {
  const byName = (a: HandlerStatus, b: HandlerStatus) => a.name.localeCompare(b.name);
  const nullsLast = (x: number | null, y: number | null) => (x === null ? (y === null ? 0 : 1) : y === null ? -1 : x - y);
  switch (key) {
    case 'name':
      return byName;
    case 'state':
      return (a, b) => stateOrder[a.state] - stateOrder[b.state];
    case 'since':
      // Ascending = longest in their state first: the one a supervisor looks at.
      return (a, b) => Date.parse(a.since) - Date.parse(b.since);
    case 'calls':
      return (a, b) => a.callsHandledToday - b.callsHandledToday;
    case 'aht':
      return (a, b) => nullsLast(averageHandleMs(a), averageHandleMs(b));
    case 'missed':
      return (a, b) => a.missedOffersToday - b.missedOffersToday;
  }
}

/** Handlers filtered by team and state, sorted by one column (name breaks ties, so the order never jumps). */
export function boardRows(handlers: readonly HandlerStatus[], options: { teamId: string | null; state: HandlerState | null; sort: SortKey; direction: SortDirection }): HandlerStatus[] {
  const compare = compareBy(options.sort);
  const sign = options.direction === 'ascending' ? 1 : -1;
  return handlers
    .filter((h) => (options.teamId === null || h.teamIds.includes(options.teamId)) && (options.state === null || h.state === options.state))
    .sort((a, b) => sign * compare(a, b) || a.name.localeCompare(b.name) || a.handlerId.localeCompare(b.handlerId));
}

/** Team ids in the order they first appear, with a label each (the live picture carries ids, not names). */
export function teamLabels(handlers: readonly HandlerStatus[]): { id: string; label: string }[] {
  const ids = [...new Set(handlers.flatMap((h) => h.teamIds))].sort();
  return ids.map((id, index) => ({ id, label: `Team ${index + 1}` }));
}

export function stateLabel(handler: HandlerStatus): string {
  return handler.state === 'break' && handler.breakReason ? `${handlerStateLabels.break}: ${handler.breakReason}` : handlerStateLabels[handler.state];
}

/** Whether a call has a live audio leg a supervisor could join (on the call or on hold). */
export function isLiveCall(call: Call | undefined): call is Call {
  return call !== undefined && (call.state === 'connected' || call.state === 'held');
}
