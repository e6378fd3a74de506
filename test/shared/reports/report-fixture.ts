import type { ReportCall, ReportCase } from '../../../src-shared/reports/metrics';
import type { ReportSettings } from '../../../src-shared/reports/settings';

/**
 * A small line's two days, 1-2 July 2025 (British Summer Time, so London is UTC+1), with the figures worked out by
 * hand in the comments. The shared definitions and the SQL on both stores are tested against the same numbers.
 */

export type FixtureCase = ReportCase & { id: string };
export type FixtureCall = ReportCall & { id: string; dispositionId: string | null };

export const FROM = '2025-07-01';
export const TO = '2025-07-02';

export const settings: ReportSettings = {
  handlerHourlyCostPence: 2_000,
  paidHours: { kind: 'per-handler', hoursPerDay: 8, weekdays: [1, 2, 3, 4, 5] },
  // 36,500 p a month is 1,200 p a day (x 12 / 365).
  platformCostPerMonthPence: 36_500,
  serviceLevel: { targetSeconds: 60, targetShare: 0.95 },
  abandonedAfterSeconds: 30,
};

const c = (id: string, teamId: string, channel: ReportCase['channel'], type: ReportCase['type'], category: ReportCase['category'], providerId: string | null, status: ReportCase['status'], createdAt: string, closedAt: string | null): FixtureCase => ({
  id,
  teamId,
  channel,
  type,
  category,
  providerId,
  status,
  createdAt,
  closedAt,
});

export const cases: FixtureCase[] = [
  // 00:30 London on 1 July (23:30 UTC the day before): in the range, hour 0; resolved 1 July.
  c('c1', 'team-a', 'phone', 'question', null, null, 'answered', '2025-06-30T23:30:00.000Z', '2025-07-01T08:00:00.000Z'),
  // Hour 10 London; resolved 2 July.
  c('c2', 'team-a', 'web', 'feedback', 'staff-attitude', 'p1', 'responded', '2025-07-01T09:15:00.000Z', '2025-07-02T10:00:00.000Z'),
  // Hour 10 London; still open.
  c('c3', 'team-a', 'sms', 'feedback', 'parking', 'p1', 'in-progress', '2025-07-01T09:45:00.000Z', null),
  // The previous period: resolved 30 June.
  c('c4', 'team-a', 'email', 'general-enquiry', null, null, 'answered', '2025-06-29T10:00:00.000Z', '2025-06-30T10:00:00.000Z'),
  // 23:30 London on 2 July: in the range, hour 23; closed, but not resolved.
  c('c5', 'team-a', 'social', 'feedback', 'parking', 'p2', 'unable-to-resolve', '2025-07-02T22:30:00.000Z', '2025-07-02T22:50:00.000Z'),
  // The other team's: hour 13 London, resolved 1 July.
  c('c6', 'team-b', 'phone', 'question', null, null, 'answered', '2025-07-01T12:00:00.000Z', '2025-07-01T12:10:00.000Z'),
  // 00:10 London on 3 July: after the range.
  c('c7', 'team-a', 'web', 'question', null, null, 'open', '2025-07-02T23:10:00.000Z', null),
];

const call = (partial: Partial<FixtureCall> & Pick<FixtureCall, 'id'>): FixtureCall => ({
  teamId: 'team-a',
  direction: 'inbound',
  caseType: 'question',
  caseId: null,
  transferredFrom: null,
  enteredQueueAt: null,
  answeredAt: null,
  endedAt: null,
  outcome: 'completed',
  dispositionId: null,
  dispositionResolves: false,
  answerWaitMs: null,
  talkMs: null,
  heldMs: 0,
  wrapUpMs: null,
  handleMs: null,
  ...partial,
});

const resolving = { dispositionId: 'resolved-first-contact', dispositionResolves: true };
const notResolving = { dispositionId: 'callback-needed', dispositionResolves: false };

export const calls: FixtureCall[] = [
  // Answered in 20 s, linked to c1: handled, queued, FCR yes; not a contact of its own.
  call({ id: 'k1', caseId: 'c1', enteredQueueAt: '2025-07-01T08:00:00.000Z', answeredAt: '2025-07-01T08:00:20.000Z', endedAt: '2025-07-01T08:05:20.000Z', heldMs: 10_000, talkMs: 290_000, wrapUpMs: 30_000, handleMs: 330_000, answerWaitMs: 20_000, ...resolving }),
  // Answered in 90 s (outside target), no case, resolving: a phone contact (hour 10 London) and a resolved query.
  call({ id: 'k2', enteredQueueAt: '2025-07-01T09:00:00.000Z', answeredAt: '2025-07-01T09:01:30.000Z', endedAt: '2025-07-01T09:03:30.000Z', talkMs: 120_000, wrapUpMs: 60_000, handleMs: 180_000, answerWaitMs: 90_000, ...resolving }),
  // Abandoned after 20 s and after 45 s; never offered, so no team.
  call({ id: 'k3', teamId: null, enteredQueueAt: '2025-07-01T10:00:00.000Z', endedAt: '2025-07-01T10:00:20.000Z', outcome: 'abandoned' }),
  call({ id: 'k4', teamId: null, enteredQueueAt: '2025-07-01T11:00:00.000Z', endedAt: '2025-07-01T11:00:45.000Z', outcome: 'abandoned' }),
  // Answered in 10 s, then transferred away: queued and handled, not a contact, not in FCR.
  call({ id: 'k5', enteredQueueAt: '2025-07-02T14:00:00.000Z', answeredAt: '2025-07-02T14:00:10.000Z', endedAt: '2025-07-02T14:02:10.000Z', outcome: 'transferred', talkMs: 120_000, handleMs: 120_000, answerWaitMs: 10_000 }),
  // The leg k5 was transferred to: a phone feedback contact (hour 15 London), not resolving; not queued again.
  call({ id: 'k6', caseType: 'feedback', transferredFrom: 'k5', answeredAt: '2025-07-02T14:02:15.000Z', endedAt: '2025-07-02T14:06:15.000Z', talkMs: 240_000, wrapUpMs: 20_000, handleMs: 260_000, ...notResolving }),
  // An outbound callback: handled, nothing else.
  call({ id: 'k7', direction: 'outbound', caseType: null, answeredAt: '2025-07-02T16:00:00.000Z', endedAt: '2025-07-02T16:10:00.000Z', talkMs: 600_000, wrapUpMs: 0, handleMs: 600_000, ...resolving }),
  // The other team's, linked to c6, answered in 5 s.
  call({ id: 'k8', teamId: 'team-b', caseId: 'c6', enteredQueueAt: '2025-07-01T12:00:00.000Z', answeredAt: '2025-07-01T12:00:05.000Z', endedAt: '2025-07-01T12:05:05.000Z', talkMs: 300_000, wrapUpMs: 0, handleMs: 300_000, answerWaitMs: 5_000, ...resolving }),
  // The previous period: a call-only resolution on 30 June.
  call({ id: 'k9', enteredQueueAt: '2025-06-30T10:00:00.000Z', answeredAt: '2025-06-30T10:00:10.000Z', endedAt: '2025-06-30T10:05:10.000Z', talkMs: 300_000, wrapUpMs: 0, handleMs: 300_000, answerWaitMs: 10_000, ...resolving }),
];

export const providerNames = new Map([
  ['p1', 'Leeds Teaching Hospitals'],
  ['p2', 'Airedale General'],
]);
