import { z } from 'zod';

/**
 * What the reports need to know that the line's records do not say: what handlers cost, how many hours are paid,
 * what the platform costs, and the service-level target. Kept centrally (one row, edited by an administrator) so every
 * supervisor's report uses the same figures. Money is in whole pence, so sums are exact.
 */

const pence = z.number().int().min(0).max(1_000_000_000_00);

/** Paid hours: each handler paid the same hours on chosen weekdays, or a rota of total paid handler-hours per weekday. */
export const paidHoursSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('per-handler'),
    /** Paid hours per handler on a working day. */
    hoursPerDay: z.number().min(0).max(24),
    /** ISO weekdays worked: 1 Monday .. 7 Sunday. */
    weekdays: z
      .array(z.number().int().min(1).max(7))
      .max(7)
      .transform((days) => [...new Set(days)].sort((a, b) => a - b)),
  }),
  z.object({
    kind: z.literal('rota'),
    /** Total paid handler-hours on each ISO weekday, Monday first (seven numbers). */
    hoursByWeekday: z.array(z.number().min(0).max(100_000)).length(7),
  }),
]);
export type PaidHours = z.infer<typeof paidHoursSchema>;

export const reportSettingsSchema = z.object({
  /** A handler's cost per paid hour, in pence (salary and on-costs). */
  handlerHourlyCostPence: pence,
  paidHours: paidHoursSchema,
  /** Telephony, hosting and licences per calendar month, in pence. */
  platformCostPerMonthPence: pence,
  serviceLevel: z.object({
    /** An answer within this many seconds of joining the queue counts as within target. */
    targetSeconds: z.number().int().min(1).max(3600),
    /** The share of answered calls that should be within target (0.95 for 95%). */
    targetShare: z.number().min(0).max(1),
  }),
  /** Abandoned calls are also counted after this many seconds' wait (the NHS 111 rule counts those after 30 s). */
  abandonedAfterSeconds: z.number().int().min(0).max(3600),
});
export type ReportSettings = z.infer<typeof reportSettingsSchema>;

/** The settings until an administrator changes them: the NHS 111 service level (95% within 60 s) and a working week. */
export const defaultReportSettings: ReportSettings = {
  handlerHourlyCostPence: 1_500,
  paidHours: { kind: 'per-handler', hoursPerDay: 7.5, weekdays: [1, 2, 3, 4, 5] },
  platformCostPerMonthPence: 0,
  serviceLevel: { targetSeconds: 60, targetShare: 0.95 },
  abandonedAfterSeconds: 30,
};

/** The settings as stored and served, with who changed them last. */
export const storedReportSettingsSchema = z.object({
  settings: reportSettingsSchema,
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type StoredReportSettings = z.infer<typeof storedReportSettingsSchema>;
