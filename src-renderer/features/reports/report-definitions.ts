import type { ReportSummary } from '../../../src-shared/reports/report-schema';
import { formatPence } from './report-format';

/**
 * What each figure on the reports screen counts, in a supervisor's words. The definitions themselves are the code in
 * src-shared/reports/metrics.ts (which the central API's SQL is tested against); these sentences say the same.
 */
export const definitions = {
  contacts:
    'A contact is a case opened in the period, on any channel, or an answered call that no case was linked to (and that was not transferred on). Calls abandoned in the queue are not contacts; they count in abandonment.',
  resolved:
    'A resolved query is a case closed in the period as answered or responded to (a case reopened since is not counted), or an answered call with no case whose wrap-up disposition resolved it. Each query is counted once.',
  costPerResolved:
    'Paid handler hours times the hourly cost, plus the platform cost, over the period, divided by the queries resolved in it. By channel, the cost is shared out by each channel’s share of contacts.',
  averageSpeedOfAnswer: 'The average wait from joining a queue to being answered, over the queued calls that were answered (transferred legs are not counted again).',
  averageHandleTime: 'Talk, hold and wrap-up time added together, averaged over the calls handled (every answered call leg, in or out).',
  abandonment: 'Callers who hung up in the queue before anyone answered, as a share of all callers who queued.',
  firstContactResolution: 'Of inbound calls answered and not transferred on, the share whose wrap-up disposition says the caller’s query was settled on that call.',
  serviceLevel: 'The share of answered queued calls that were answered within the target time.',
} as const;

const weekdayNames = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The cost settings the figures used, in one sentence, so a supervisor can see where the cost comes from. */
export function costBasis(settings: ReportSummary['settings']): string {
  const paid = settings.paidHours;
  const hours =
    paid.kind === 'per-handler'
      ? `${paid.hoursPerDay} paid hours a handler on ${paid.weekdays.length === 0 ? 'no days' : paid.weekdays.map((d) => weekdayNames[d - 1]).join(', ')}`
      : `a rota of ${paid.hoursByWeekday.reduce((sum, h) => sum + h, 0)} paid handler-hours a week`;
  return `Costs: ${formatPence(settings.handlerHourlyCostPence)} an hour per handler, ${hours}, and a platform cost of ${formatPence(settings.platformCostPerMonthPence)} a month. An administrator sets these.`;
}
