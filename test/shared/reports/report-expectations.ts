/**
 * The report of report-fixture.ts, worked out by hand. Cost: 1 and 2 July 2025 are a Tuesday and a Wednesday, so
 * each day pays 2 handlers x 8 h x 2,000 p = 32,000 p plus the platform's 1,200 p: 33,200 p a day, 66,400 p in all.
 * The previous period (29-30 June) is a Sunday (1,200 p) and a Monday (33,200 p): 34,400 p, with 2 resolved queries.
 */

const zeroCategories = {
  'staff-attitude': 0, access: 0, delays: 0, treatment: 0, communication: 0, cleanliness: 0, equipment: 0, medicines: 0, food: 0, dignity: 0, parking: 0, 'lost-property': 0, other: 0, none: 0,
};

function hours(counts: Record<number, number>): number[] {
  return Array.from({ length: 24 }, (_, hour) => counts[hour] ?? 0);
}

/** The whole organisation: cases c1 c2 c3 c5 c6 and calls k2 k6 are the contacts; c1 c2 c6 and k2 are resolved. */
export const organisation = {
  contacts: {
    total: 7,
    byChannel: { phone: 4, web: 1, sms: 1, social: 1, email: 0 },
    byType: { question: 3, feedback: 4, 'general-enquiry': 0, unknown: 0 },
    byCategory: { ...zeroCategories, 'staff-attitude': 1, parking: 2, none: 4 },
    byProvider: [
      { providerId: null, name: null, count: 4 },
      { providerId: 'p1', name: 'Leeds Teaching Hospitals', count: 2 },
      { providerId: 'p2', name: 'Airedale General', count: 1 },
    ],
    byHour: hours({ 0: 1, 10: 3, 13: 1, 15: 1, 23: 1 }),
  },
  calls: {
    queued: 6,
    answered: 4,
    abandoned: 2,
    abandonedAfterThreshold: 1,
    abandonmentRate: 2 / 6,
    abandonmentRateAfterThreshold: 1 / 6,
    averageSpeedOfAnswerMs: 125_000 / 4,
    handled: 6,
    averageHandleMs: 1_790_000 / 6,
    averageTalkMs: 1_670_000 / 6,
    averageHoldMs: 10_000 / 6,
    averageWrapUpMs: 110_000 / 6,
    serviceLevel: { targetSeconds: 60, targetShare: 0.95, answeredWithinTarget: 3, share: 0.75, met: false },
    firstContactResolution: { eligible: 4, resolved: 3, rate: 0.75 },
  },
  resolved: { total: 4, byChannel: { phone: 3, web: 1, sms: 0, social: 0, email: 0 } },
  cost: {
    handlerCount: 2,
    paidHours: 32,
    handlerCostPence: 64_000,
    platformCostPence: 2_400,
    totalCostPence: 66_400,
    costPerResolvedPence: 16_600,
    trend: [
      { day: '2025-07-01', resolved: 3, costPence: 33_200, costPerResolvedPence: 33_200 / 3 },
      { day: '2025-07-02', resolved: 1, costPence: 33_200, costPerResolvedPence: 33_200 },
    ],
    previous: { from: '2025-06-29', to: '2025-06-30', resolved: 2, totalCostPence: 34_400, costPerResolvedPence: 17_200 },
    change: (16_600 - 17_200) / 17_200,
    byChannel: {
      phone: { contacts: 4, resolved: 3, costPence: (66_400 * 4) / 7, costPerResolvedPence: (66_400 * 4) / 7 / 3 },
      web: { contacts: 1, resolved: 1, costPence: 66_400 / 7, costPerResolvedPence: 66_400 / 7 },
      sms: { contacts: 1, resolved: 0, costPence: 66_400 / 7, costPerResolvedPence: null },
      social: { contacts: 1, resolved: 0, costPence: 66_400 / 7, costPerResolvedPence: null },
      email: { contacts: 0, resolved: 0, costPence: 0, costPerResolvedPence: null },
    },
  },
};

/** Team A only: team B's c6 and k8 go, and so do the abandoned k3 and k4, which no team had been offered. */
export const teamA = {
  contacts: {
    total: 6,
    byChannel: { phone: 3, web: 1, sms: 1, social: 1, email: 0 },
    byType: { question: 2, feedback: 4, 'general-enquiry': 0, unknown: 0 },
    byCategory: { ...zeroCategories, 'staff-attitude': 1, parking: 2, none: 3 },
    byProvider: [
      { providerId: null, name: null, count: 3 },
      { providerId: 'p1', name: 'Leeds Teaching Hospitals', count: 2 },
      { providerId: 'p2', name: 'Airedale General', count: 1 },
    ],
    byHour: hours({ 0: 1, 10: 3, 15: 1, 23: 1 }),
  },
  calls: {
    queued: 3,
    answered: 3,
    abandoned: 0,
    abandonedAfterThreshold: 0,
    abandonmentRate: 0,
    abandonmentRateAfterThreshold: 0,
    averageSpeedOfAnswerMs: 40_000,
    handled: 5,
    averageHandleMs: 298_000,
    averageTalkMs: 274_000,
    averageHoldMs: 2_000,
    averageWrapUpMs: 22_000,
    serviceLevel: { targetSeconds: 60, targetShare: 0.95, answeredWithinTarget: 2, share: 2 / 3, met: false },
    firstContactResolution: { eligible: 3, resolved: 2, rate: 2 / 3 },
  },
  resolved: { total: 3, byChannel: { phone: 2, web: 1, sms: 0, social: 0, email: 0 } },
  cost: {
    handlerCount: 2,
    totalCostPence: 66_400,
    costPerResolvedPence: 66_400 / 3,
    trend: [
      { day: '2025-07-01', resolved: 2, costPence: 33_200, costPerResolvedPence: 16_600 },
      { day: '2025-07-02', resolved: 1, costPence: 33_200, costPerResolvedPence: 33_200 },
    ],
    previous: { from: '2025-06-29', to: '2025-06-30', resolved: 2, totalCostPence: 34_400, costPerResolvedPence: 17_200 },
    change: (66_400 / 3 - 17_200) / 17_200,
    byChannel: {
      phone: { contacts: 3, resolved: 2, costPence: 33_200, costPerResolvedPence: 16_600 },
      web: { contacts: 1, resolved: 1, costPence: 66_400 / 6, costPerResolvedPence: 66_400 / 6 },
      sms: { contacts: 1, resolved: 0, costPence: 66_400 / 6, costPerResolvedPence: null },
      social: { contacts: 1, resolved: 0, costPence: 66_400 / 6, costPerResolvedPence: null },
      email: { contacts: 0, resolved: 0, costPence: 0, costPerResolvedPence: null },
    },
  },
};

/** The expectation with every number as `expect.closeTo` (money and averages are fractions), for `toMatchObject`. */
export function approximately(value: unknown, closeTo: (n: number, digits: number) => unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : closeTo(value, 6);
  if (Array.isArray(value)) return value.map((item) => approximately(item, closeTo));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, approximately(item, closeTo)]));
  return value;
}
