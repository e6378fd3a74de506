import { describe, expect, it } from 'vitest';
import { previousRange, reportRange } from '../../../src-shared/reports/london-time';
import {
  abandonment,
  averageHandleTime,
  averageSpeedOfAnswer,
  callsInPeriod,
  contactsByChannel,
  contactsByHour,
  contactsIn,
  costOfDay,
  firstContactResolution,
  paidHoursOn,
  reportFromRecords,
  resolvedRecords,
  serviceLevel,
} from '../../../src-shared/reports/metrics';
import { reportSummarySchema } from '../../../src-shared/reports/report-schema';
import { FROM, TO, calls, cases, providerNames, settings } from './report-fixture';
import { approximately, organisation } from './report-expectations';

const range = reportRange(FROM, TO);
const previous = previousRange(range);
const inRange = callsInPeriod(calls, range);

describe('report figures on a fixed day of calls and cases', () => {
  it('takes London days, so a case at 00:30 BST on the first day is in the range and one at 00:10 the day after is not', () => {
    expect(range).toMatchObject({ fromIso: '2025-06-30T23:00:00.000Z', toIso: '2025-07-02T23:00:00.000Z', days: ['2025-07-01', '2025-07-02'] });
    expect(previous).toMatchObject({ from: '2025-06-29', to: '2025-06-30' });
    const contacts = contactsIn(cases, calls, range);
    expect(contacts.map((contact) => contact.at).sort()).toEqual([
      '2025-06-30T23:30:00.000Z',
      '2025-07-01T09:03:30.000Z',
      '2025-07-01T09:15:00.000Z',
      '2025-07-01T09:45:00.000Z',
      '2025-07-01T12:00:00.000Z',
      '2025-07-02T14:06:15.000Z',
      '2025-07-02T22:30:00.000Z',
    ]);
  });

  it('counts contacts by channel and by London hour of day', () => {
    const contacts = contactsIn(cases, calls, range);
    expect(contactsByChannel(contacts)).toEqual(organisation.contacts.byChannel);
    expect(contactsByHour(contacts)).toEqual(organisation.contacts.byHour);
  });

  it('works out speed of answer, handle time, abandonment (and after 30 s), service level and first-contact resolution', () => {
    expect(averageSpeedOfAnswer(inRange)).toBe(31_250);
    expect(averageHandleTime(inRange)).toBeCloseTo(298_333.33, 1);
    expect(abandonment(inRange, 30)).toEqual({ queued: 6, abandoned: 2, abandonedAfterThreshold: 1, rate: 2 / 6, rateAfterThreshold: 1 / 6 });
    expect(abandonment(inRange, 10).abandonedAfterThreshold).toBe(2);
    expect(serviceLevel(inRange, { targetSeconds: 60, targetShare: 0.95 })).toEqual({ answered: 4, answeredWithinTarget: 3, share: 0.75, met: false });
    expect(serviceLevel(inRange, { targetSeconds: 90, targetShare: 0.95 })).toMatchObject({ share: 1, met: true });
    expect(firstContactResolution(inRange)).toEqual({ eligible: 4, resolved: 3, rate: 0.75 });
  });

  it('counts a resolved query once: by its case when a call has one, by the call’s disposition when not', () => {
    const resolved = resolvedRecords(cases, calls, range);
    expect(resolved.map((r) => `${r.channel}@${r.at}`).sort()).toEqual([
      'phone@2025-07-01T08:00:00.000Z',
      'phone@2025-07-01T09:03:30.000Z',
      'phone@2025-07-01T12:10:00.000Z',
      'web@2025-07-02T10:00:00.000Z',
    ]);
    expect(resolvedRecords(cases, calls, previous)).toHaveLength(2);
  });

  it('costs a day from paid hours (per handler on working days, or a rota) and the platform’s daily share', () => {
    expect(paidHoursOn('2025-06-29', settings.paidHours, 2)).toBe(0);
    expect(paidHoursOn('2025-06-30', settings.paidHours, 2)).toBe(16);
    expect(paidHoursOn('2025-06-29', { kind: 'rota', hoursByWeekday: [40, 40, 40, 40, 40, 12, 6] }, 99)).toBe(6);
    expect(costOfDay('2025-07-01', settings, 2)).toEqual({ paidHours: 16, handlerCostPence: 32_000, platformCostPence: 1_200, totalCostPence: 33_200 });
  });

  it('puts every figure together, cost per resolved query with its daily trend and change, in the response schema', () => {
    const summary = reportFromRecords(cases, calls, { range, previous, teamIds: null, settings, handlerCount: 2, providerNames });
    expect(reportSummarySchema.parse(summary)).toEqual(summary);
    expect(summary).toMatchObject(approximately(organisation, (n, d) => expect.closeTo(n, d)) as object);
  });

  it('reports nothing to divide by as null, not zero or NaN', () => {
    const summary = reportFromRecords([], [], { range, previous, teamIds: [], settings, handlerCount: 0, providerNames });
    expect(summary.calls.averageSpeedOfAnswerMs).toBeNull();
    expect(summary.calls.serviceLevel).toMatchObject({ share: null, met: null });
    expect(summary.cost.costPerResolvedPence).toBeNull();
    expect(summary.cost.totalCostPence).toBeCloseTo(2_400, 6);
    expect(summary.cost.change).toBeNull();
  });
});
