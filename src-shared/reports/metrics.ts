import { channels, type CaseType, type Channel } from '../domain/case-types';
import { categories, type Category } from '../domain/categories';
import { isResolvedStatus, type CaseStatus } from '../domain/statuses';
import { inRange, isoWeekday, londonHourOf, londonHourOfKey, utcHourKey, type ReportRange } from './london-time';
import type { ReportSummary } from './report-schema';
import type { PaidHours, ReportSettings } from './settings';

/**
 * The report figures, each defined once, here, as a pure function over plain records. The central API computes the
 * same figures in SQL (src-server/store/report-store.ts) and a test holds the two to the same answers on random data.
 *
 * Which records a period holds (a period is a half-open UTC range [fromIso, toIso) of whole London days):
 * - a case is in it when it was created in it (`createdAt`); its channel, type, category and provider are its
 *   current field values (a handler may have corrected them since the case was opened);
 * - a call is in it when it ended in it (`endedAt`): every call figure counts calls by when they ended.
 *
 * **Contact**: a case created in the period, or an inbound call answered in the period's calls that no case is linked
 * to and that was not transferred away (the leg it was transferred to stands for the caller). Such a call is a phone
 * contact of its queue's case type, about no category or provider. Abandoned calls are not contacts: they are counted
 * by abandonment.
 *
 * **Resolved query**: a case whose status now is a resolving one (responded to, or answered: `isResolvedStatus`) and
 * whose `closedAt` falls in the period (a case later reopened is no longer resolved, and not counted); or an inbound
 * call in the period, not transferred away, with no case linked, whose wrap-up disposition resolves. A call with a
 * linked case is never counted on its own: the case says whether the query was resolved, so a query is counted once.
 */

/** A case as the reports read it. */
export interface ReportCase {
  teamId: string;
  channel: Channel;
  type: CaseType;
  category: Category | null;
  providerId: string | null;
  status: CaseStatus;
  createdAt: string;
  closedAt: string | null;
}

/** A finished call as the reports read it (see the `calls` table), with its disposition's `resolves` looked up. */
export interface ReportCall {
  teamId: string | null;
  direction: 'inbound' | 'outbound';
  caseType: string | null;
  caseId: string | null;
  transferredFrom: string | null;
  enteredQueueAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  outcome: string;
  /** True when the call's disposition resolves (whether or not the disposition is still offered). */
  dispositionResolves: boolean;
  answerWaitMs: number | null;
  talkMs: number | null;
  heldMs: number;
  wrapUpMs: number | null;
  handleMs: number | null;
}

type Period = Pick<ReportRange, 'fromIso' | 'toIso'>;
export type CaseTypeKey = CaseType | 'unknown';
export type CategoryKey = Category | 'none';

/** a / b, or null when there is nothing to divide by. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

// ---- which records count ----

export function callsInPeriod(calls: readonly ReportCall[], period: Period): ReportCall[] {
  return calls.filter((call) => inRange(call.endedAt, period));
}

/** A call that stands for a caller's contact on its own: inbound, answered, no case linked, not transferred away. */
export function isCallOnlyContact(call: ReportCall): boolean {
  return call.direction === 'inbound' && call.answeredAt !== null && call.caseId === null && call.outcome !== 'transferred';
}

/** A case resolved in the period: a resolving status now, closed in the period. */
export function isResolvedCaseIn(c: ReportCase, period: Period): boolean {
  return isResolvedStatus(c.status) && inRange(c.closedAt, period);
}

/** A call (already known to be in the period) that resolved a query on its own. */
export function isResolvingCall(call: ReportCall): boolean {
  return isCallOnlyContact(call) && call.dispositionResolves;
}

/** One contact, wherever it came from. */
export interface Contact {
  at: string;
  channel: Channel;
  type: CaseTypeKey;
  category: CategoryKey;
  providerId: string | null;
}

const knownTypes: ReadonlySet<string> = new Set(['question', 'feedback', 'general-enquiry']);

/** A call's queue case type as a report key: 'unknown' when the call joined no typed queue. */
export function caseTypeKey(value: string | null): CaseTypeKey {
  return value !== null && knownTypes.has(value) ? (value as CaseType) : 'unknown';
}

/** The period's contacts: cases created in it, then calls that stand for a contact on their own. */
export function contactsIn(cases: readonly ReportCase[], calls: readonly ReportCall[], period: Period): Contact[] {
  const fromCases = cases
    .filter((c) => inRange(c.createdAt, period))
    .map((c): Contact => ({ at: c.createdAt, channel: c.channel, type: c.type, category: c.category ?? 'none', providerId: c.providerId }));
  const fromCalls = callsInPeriod(calls, period)
    .filter(isCallOnlyContact)
    .map((call): Contact => ({
      at: call.endedAt!,
      channel: 'phone',
      type: caseTypeKey(call.caseType),
      category: 'none',
      providerId: null,
    }));
  return [...fromCases, ...fromCalls];
}

function countBy<K extends string>(keys: readonly K[], items: readonly { key: K }[]): Record<K, number> {
  const out = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const item of items) out[item.key] += 1;
  return out;
}

export function contactsByChannel(contacts: readonly Contact[]): Record<Channel, number> {
  return countBy(channels, contacts.map((c) => ({ key: c.channel })));
}

export function contactsByType(contacts: readonly Contact[]): Record<CaseTypeKey, number> {
  return countBy(['question', 'feedback', 'general-enquiry', 'unknown'] as const, contacts.map((c) => ({ key: c.type })));
}

export function contactsByCategory(contacts: readonly Contact[]): Record<CategoryKey, number> {
  return countBy([...categories, 'none'] as const, contacts.map((c) => ({ key: c.category })));
}

/** Contacts per provider, most first (ties by id, no provider last among equals). */
export function contactsByProvider(contacts: readonly Contact[]): { providerId: string | null; count: number }[] {
  const counts = new Map<string | null, number>();
  for (const c of contacts) counts.set(c.providerId, (counts.get(c.providerId) ?? 0) + 1);
  return sortProviders([...counts].map(([providerId, count]) => ({ providerId, count })));
}

export function sortProviders<T extends { providerId: string | null; count: number }>(rows: T[]): T[] {
  return rows.sort((a, b) => b.count - a.count || (a.providerId ?? '\uffff').localeCompare(b.providerId ?? '\uffff'));
}

/** Contacts per London hour of day (24 counts, 00:00-00:59 first). */
export function contactsByHour(contacts: readonly Contact[]): number[] {
  const hours = new Array<number>(24).fill(0);
  for (const c of contacts) hours[londonHourOf(Date.parse(c.at)).hour]! += 1;
  return hours;
}

// ---- the queue and handling figures ----

/**
 * Calls that joined a queue, counted once per caller: inbound, queued, not a leg a transfer created. Service level,
 * speed of answer and abandonment are over these.
 */
export function isQueuedCall(call: ReportCall): boolean {
  return call.direction === 'inbound' && call.enteredQueueAt !== null && call.transferredFrom === null;
}

/** Average speed of answer: mean wait from joining the queue to answer over answered queued calls, in ms. */
export function averageSpeedOfAnswer(calls: readonly ReportCall[]): number | null {
  const answered = calls.filter((call) => isQueuedCall(call) && call.answerWaitMs !== null);
  return ratio(answered.reduce((sum, call) => sum + call.answerWaitMs!, 0), answered.length);
}

/** Handled calls: any answered call leg (either direction), each handler's own time on it. */
export function handledCalls(calls: readonly ReportCall[]): ReportCall[] {
  return calls.filter((call) => call.handleMs !== null);
}

/** Average handle time = talk + hold + wrap-up, over handled calls, in ms. */
export function averageHandleTime(calls: readonly ReportCall[]): number | null {
  const handled = handledCalls(calls);
  return ratio(handled.reduce((sum, call) => sum + call.handleMs!, 0), handled.length);
}

/** Milliseconds from joining the queue to hanging up, for a call that never got an answer. */
export function waitBeforeHangUpMs(call: ReportCall): number | null {
  return call.enteredQueueAt === null || call.endedAt === null ? null : Date.parse(call.endedAt) - Date.parse(call.enteredQueueAt);
}

/**
 * Abandonment: queued callers who hung up before an answer, as a share of queued callers; and (the NHS 111 rule)
 * those who hung up after waiting more than `afterSeconds`, as a share of the same.
 */
export function abandonment(calls: readonly ReportCall[], afterSeconds: number) {
  const queued = calls.filter(isQueuedCall);
  const abandoned = queued.filter((call) => call.outcome === 'abandoned');
  const late = abandoned.filter((call) => (waitBeforeHangUpMs(call) ?? 0) > afterSeconds * 1000);
  return {
    queued: queued.length,
    abandoned: abandoned.length,
    abandonedAfterThreshold: late.length,
    rate: ratio(abandoned.length, queued.length),
    rateAfterThreshold: ratio(late.length, queued.length),
  };
}

/** Service level: the share of answered queued calls answered within the target (answer wait <= target). */
export function serviceLevel(calls: readonly ReportCall[], target: ReportSettings['serviceLevel']) {
  const answered = calls.filter((call) => isQueuedCall(call) && call.answerWaitMs !== null);
  const within = answered.filter((call) => call.answerWaitMs! <= target.targetSeconds * 1000).length;
  const share = ratio(within, answered.length);
  return { answered: answered.length, answeredWithinTarget: within, share, met: share === null ? null : share >= target.targetShare };
}

/**
 * First-contact resolution, on the phone: of inbound calls answered and not transferred away, the share whose
 * disposition resolves (the caller's query was settled on that call, with or without a case).
 */
export function firstContactResolution(calls: readonly ReportCall[]) {
  const eligible = calls.filter((call) => call.direction === 'inbound' && call.answeredAt !== null && call.outcome !== 'transferred');
  const resolved = eligible.filter((call) => call.dispositionResolves).length;
  return { eligible: eligible.length, resolved, rate: ratio(resolved, eligible.length) };
}

// ---- cost per resolved query ----

/** The platform's cost per day: the monthly cost spread over the year's days (12 months / 365 days). */
export function platformCostPerDayPence(settings: Pick<ReportSettings, 'platformCostPerMonthPence'>): number {
  return (settings.platformCostPerMonthPence * 12) / 365;
}

/** Paid handler-hours on a London day: per handler (hours x handlers on a working weekday) or from the rota. */
export function paidHoursOn(day: string, paid: PaidHours, handlerCount: number): number {
  const weekday = isoWeekday(day);
  switch (paid.kind) {
    case 'per-handler':
      return paid.weekdays.includes(weekday) ? paid.hoursPerDay * handlerCount : 0;
    case 'rota':
      return paid.hoursByWeekday[weekday - 1] ?? 0;
    default: {
      const never: never = paid;
      return never;
    }
  }
}

/** A day's cost: paid handler-hours x hourly cost + the platform's daily cost. */
export function costOfDay(day: string, settings: ReportSettings, handlerCount: number) {
  const paidHours = paidHoursOn(day, settings.paidHours, handlerCount);
  const handlerCostPence = paidHours * settings.handlerHourlyCostPence;
  const platformCostPence = platformCostPerDayPence(settings);
  return { paidHours, handlerCostPence, platformCostPence, totalCostPence: handlerCostPence + platformCostPence };
}

/** Cost per resolved query = (paid hours x hourly cost + platform cost) over the period / queries resolved in it. */
export function costPerResolved(totalCostPence: number, resolved: number): number | null {
  return ratio(totalCostPence, resolved);
}

// ---- the whole report, from the counts both paths produce ----

/** Counts from which every figure follows; the SQL produces these, and so does `aggregateRecords`. */
export interface ReportAggregates {
  /** Contacts per UTC hour bucket (`2025-03-30T01`), channel and type. */
  contactsByHour: { hourKey: string; channel: Channel; type: CaseTypeKey; count: number }[];
  contactsByCategory: Record<CategoryKey, number>;
  contactsByProvider: { providerId: string | null; count: number }[];
  /** Resolved queries per UTC hour bucket and channel. */
  resolvedByHour: { hourKey: string; channel: Channel; count: number }[];
  calls: {
    queued: number;
    answered: number;
    answerWaitMsSum: number;
    answeredWithinTarget: number;
    abandoned: number;
    abandonedAfterThreshold: number;
    handled: number;
    handleMsSum: number;
    talkMsSum: number;
    holdMsSum: number;
    wrapUpMsSum: number;
    fcrEligible: number;
    fcrResolved: number;
  };
  previousResolved: number;
}

/** The aggregates of plain records: the reference the SQL is tested against. */
export function aggregateRecords(cases: readonly ReportCase[], calls: readonly ReportCall[], range: Period, previous: Period, settings: ReportSettings): ReportAggregates {
  const contacts = contactsIn(cases, calls, range);
  const periodCalls = callsInPeriod(calls, range);
  const hourly = new Map<string, { hourKey: string; channel: Channel; type: CaseTypeKey; count: number }>();
  for (const c of contacts) {
    const key = `${utcHourKey(c.at)}|${c.channel}|${c.type}`;
    const row = hourly.get(key) ?? { hourKey: utcHourKey(c.at), channel: c.channel, type: c.type, count: 0 };
    row.count += 1;
    hourly.set(key, row);
  }
  const resolved = resolvedRecords(cases, calls, range);
  const resolvedHourly = new Map<string, { hourKey: string; channel: Channel; count: number }>();
  for (const r of resolved) {
    const key = `${utcHourKey(r.at)}|${r.channel}`;
    const row = resolvedHourly.get(key) ?? { hourKey: utcHourKey(r.at), channel: r.channel, count: 0 };
    row.count += 1;
    resolvedHourly.set(key, row);
  }
  const queued = periodCalls.filter(isQueuedCall);
  const answered = queued.filter((call) => call.answerWaitMs !== null);
  const abandon = abandonment(periodCalls, settings.abandonedAfterSeconds);
  const handled = handledCalls(periodCalls);
  const fcr = firstContactResolution(periodCalls);
  const sum = (list: readonly ReportCall[], of: (call: ReportCall) => number) => list.reduce((total, call) => total + of(call), 0);
  return {
    contactsByHour: [...hourly.values()],
    contactsByCategory: contactsByCategory(contacts),
    contactsByProvider: contactsByProvider(contacts),
    resolvedByHour: [...resolvedHourly.values()],
    calls: {
      queued: queued.length,
      answered: answered.length,
      answerWaitMsSum: sum(answered, (call) => call.answerWaitMs!),
      answeredWithinTarget: serviceLevel(periodCalls, settings.serviceLevel).answeredWithinTarget,
      abandoned: abandon.abandoned,
      abandonedAfterThreshold: abandon.abandonedAfterThreshold,
      handled: handled.length,
      handleMsSum: sum(handled, (call) => call.handleMs!),
      talkMsSum: sum(handled, (call) => call.talkMs ?? 0),
      holdMsSum: sum(handled, (call) => call.heldMs),
      wrapUpMsSum: sum(handled, (call) => call.wrapUpMs ?? 0),
      fcrEligible: fcr.eligible,
      fcrResolved: fcr.resolved,
    },
    previousResolved: resolvedRecords(cases, calls, previous).length,
  };
}

/** The period's resolved queries, each with the time it was resolved and its channel. */
export function resolvedRecords(cases: readonly ReportCase[], calls: readonly ReportCall[], period: Period): { at: string; channel: Channel }[] {
  return [
    ...cases.filter((c) => isResolvedCaseIn(c, period)).map((c) => ({ at: c.closedAt!, channel: c.channel })),
    ...callsInPeriod(calls, period)
      .filter(isResolvingCall)
      .map((call) => ({ at: call.endedAt!, channel: 'phone' as const })),
  ];
}

export interface SummaryContext {
  range: ReportRange;
  previous: ReportRange;
  teamIds: string[] | null;
  settings: ReportSettings;
  /** Handlers whose paid hours count (active handlers in the teams reported on), for per-handler paid hours. */
  handlerCount: number;
  providerNames: ReadonlyMap<string, string>;
}

/**
 * Every figure of the report from its aggregates. Cost by channel spreads the period's cost over channels in
 * proportion to their contacts (no channel's handling time is measured apart from the phone's), then divides by the
 * channel's resolved queries: a channel that resolves few of its contacts costs more per resolution.
 */
export function summariseReport(aggregates: ReportAggregates, context: SummaryContext): ReportSummary {
  const { range, previous, settings, handlerCount } = context;
  const byHour = new Array<number>(24).fill(0);
  const byChannel = countBy(channels, []);
  const byType = countBy(['question', 'feedback', 'general-enquiry', 'unknown'] as const, []);
  const londonOf = new Map<string, ReturnType<typeof londonHourOfKey>>();
  const london = (key: string) => {
    let at = londonOf.get(key);
    if (!at) londonOf.set(key, (at = londonHourOfKey(key)));
    return at;
  };
  let contactsTotal = 0;
  for (const row of aggregates.contactsByHour) {
    byHour[london(row.hourKey).hour]! += row.count;
    byChannel[row.channel] += row.count;
    byType[row.type] += row.count;
    contactsTotal += row.count;
  }
  const resolvedByChannel = countBy(channels, []);
  const resolvedByDay = new Map<string, number>();
  let resolvedTotal = 0;
  for (const row of aggregates.resolvedByHour) {
    resolvedByChannel[row.channel] += row.count;
    const day = london(row.hourKey).day;
    resolvedByDay.set(day, (resolvedByDay.get(day) ?? 0) + row.count);
    resolvedTotal += row.count;
  }

  const days = range.days.map((day) => ({ day, ...costOfDay(day, settings, handlerCount) }));
  const total = (of: (d: (typeof days)[number]) => number) => days.reduce((sum, d) => sum + of(d), 0);
  const totalCostPence = total((d) => d.totalCostPence);
  const previousCost = previous.days.reduce((sum, day) => sum + costOfDay(day, settings, handlerCount).totalCostPence, 0);
  const headline = costPerResolved(totalCostPence, resolvedTotal);
  const previousHeadline = costPerResolved(previousCost, aggregates.previousResolved);

  const c = aggregates.calls;
  const slShare = ratio(c.answeredWithinTarget, c.answered);
  return {
    range: { from: range.from, to: range.to, fromIso: range.fromIso, toIso: range.toIso, days: range.days.length, timeZone: 'Europe/London', teamIds: context.teamIds },
    settings,
    contacts: {
      total: contactsTotal,
      byChannel,
      byType,
      byCategory: { ...aggregates.contactsByCategory },
      byProvider: sortProviders(aggregates.contactsByProvider.map((row) => ({ providerId: row.providerId, name: row.providerId === null ? null : (context.providerNames.get(row.providerId) ?? null), count: row.count }))),
      byHour,
    },
    calls: {
      queued: c.queued,
      answered: c.answered,
      abandoned: c.abandoned,
      abandonedAfterThreshold: c.abandonedAfterThreshold,
      abandonmentRate: ratio(c.abandoned, c.queued),
      abandonmentRateAfterThreshold: ratio(c.abandonedAfterThreshold, c.queued),
      averageSpeedOfAnswerMs: ratio(c.answerWaitMsSum, c.answered),
      handled: c.handled,
      averageHandleMs: ratio(c.handleMsSum, c.handled),
      averageTalkMs: ratio(c.talkMsSum, c.handled),
      averageHoldMs: ratio(c.holdMsSum, c.handled),
      averageWrapUpMs: ratio(c.wrapUpMsSum, c.handled),
      serviceLevel: {
        targetSeconds: settings.serviceLevel.targetSeconds,
        targetShare: settings.serviceLevel.targetShare,
        answeredWithinTarget: c.answeredWithinTarget,
        share: slShare,
        met: slShare === null ? null : slShare >= settings.serviceLevel.targetShare,
      },
      firstContactResolution: { eligible: c.fcrEligible, resolved: c.fcrResolved, rate: ratio(c.fcrResolved, c.fcrEligible) },
    },
    resolved: { total: resolvedTotal, byChannel: resolvedByChannel },
    cost: {
      handlerCount,
      paidHours: total((d) => d.paidHours),
      handlerCostPence: total((d) => d.handlerCostPence),
      platformCostPence: total((d) => d.platformCostPence),
      totalCostPence,
      costPerResolvedPence: headline,
      byChannel: Object.fromEntries(
        channels.map((channel) => {
          const share = contactsTotal === 0 ? 0 : byChannel[channel] / contactsTotal;
          const costPence = totalCostPence * share;
          return [channel, { contacts: byChannel[channel], resolved: resolvedByChannel[channel], costPence, costPerResolvedPence: costPerResolved(costPence, resolvedByChannel[channel]) }];
        }),
      ) as ReportSummary['cost']['byChannel'],
      trend: days.map((d) => {
        const resolved = resolvedByDay.get(d.day) ?? 0;
        return { day: d.day, resolved, costPence: d.totalCostPence, costPerResolvedPence: costPerResolved(d.totalCostPence, resolved) };
      }),
      previous: { from: previous.from, to: previous.to, resolved: aggregates.previousResolved, totalCostPence: previousCost, costPerResolvedPence: previousHeadline },
      change: headline === null || previousHeadline === null || previousHeadline === 0 ? null : (headline - previousHeadline) / previousHeadline,
    },
  };
}

/** The report straight from records: what the SQL must agree with. */
export function reportFromRecords(cases: readonly ReportCase[], calls: readonly ReportCall[], context: SummaryContext): ReportSummary {
  return summariseReport(aggregateRecords(cases, calls, context.range, context.previous, context.settings), context);
}
