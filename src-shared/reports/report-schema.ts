import { z } from 'zod';
import { caseTypes, channels } from '../domain/case-types';
import { categories } from '../domain/categories';
import { isCalendarDay, MAX_REPORT_DAYS } from './london-time';
import { reportSettingsSchema } from './settings';

/**
 * The reports' request and answer, as the central API serves them (`GET /reports/summary`) and the supervisor screens
 * read them. Every figure is defined once in `metrics.ts`; rates are shares 0..1 (null when there is nothing to divide
 * by), durations in milliseconds, money in pence (fractions of a penny kept: round only to show).
 */

const day = z.string().refine(isCalendarDay, { error: 'Give the day as YYYY-MM-DD, like 2025-03-01.' });

/** `?from=2025-03-01&to=2025-03-31&teamId=...`: London days, both inclusive; no team means every team the caller may see. */
export const reportQuerySchema = z
  .object({
    from: day,
    to: day,
    teamId: z.string().min(1).max(128).optional(),
  })
  .strict()
  .refine((query) => query.from <= query.to, { error: 'The range must start on or before the day it ends.', path: ['to'] })
  .refine((query) => Date.parse(query.to) - Date.parse(query.from) < MAX_REPORT_DAYS * 86_400_000, {
    error: `A report covers at most ${MAX_REPORT_DAYS} days.`,
    path: ['to'],
  });
export type ReportQuery = z.infer<typeof reportQuerySchema>;

const count = z.number().int().min(0);
const share = z.number().min(0).max(1).nullable();
type CaseTypeKey = (typeof caseTypes)[number] | 'unknown';
type CategoryKey = (typeof categories)[number] | 'none';

const channelCounts = z.object(Object.fromEntries(channels.map((channel) => [channel, count])) as Record<(typeof channels)[number], typeof count>);

export const channelCostSchema = z.object({
  contacts: count,
  resolved: count,
  /** This channel's share of the period's cost: total cost x its share of contacts. */
  costPence: z.number(),
  costPerResolvedPence: z.number().nullable(),
});

export const trendDaySchema = z.object({
  day: z.string(),
  resolved: count,
  costPence: z.number(),
  costPerResolvedPence: z.number().nullable(),
});

export const reportSummarySchema = z.object({
  range: z.object({
    from: z.string(),
    to: z.string(),
    fromIso: z.string(),
    toIso: z.string(),
    days: count,
    timeZone: z.literal('Europe/London'),
    /** The teams counted; null for the whole organisation (calls not yet tied to a team included). */
    teamIds: z.array(z.string()).nullable(),
  }),
  settings: reportSettingsSchema,
  contacts: z.object({
    total: count,
    byChannel: channelCounts,
    byType: z.object(Object.fromEntries([...caseTypes, 'unknown'].map((key) => [key, count])) as Record<CaseTypeKey, typeof count>),
    byCategory: z.object(Object.fromEntries([...categories, 'none'].map((key) => [key, count])) as Record<CategoryKey, typeof count>),
    /** Most contacts first; `providerId` null for contacts about no provider; `name` null when the provider is unknown. */
    byProvider: z.array(z.object({ providerId: z.string().nullable(), name: z.string().nullable(), count })),
    /** 24 counts, London hour 0 first. */
    byHour: z.array(count).length(24),
  }),
  calls: z.object({
    queued: count,
    answered: count,
    abandoned: count,
    abandonedAfterThreshold: count,
    abandonmentRate: share,
    abandonmentRateAfterThreshold: share,
    averageSpeedOfAnswerMs: z.number().nullable(),
    handled: count,
    averageHandleMs: z.number().nullable(),
    averageTalkMs: z.number().nullable(),
    averageHoldMs: z.number().nullable(),
    averageWrapUpMs: z.number().nullable(),
    serviceLevel: z.object({
      targetSeconds: z.number(),
      targetShare: z.number(),
      answeredWithinTarget: count,
      share,
      /** Null when no call was answered. */
      met: z.boolean().nullable(),
    }),
    firstContactResolution: z.object({ eligible: count, resolved: count, rate: share }),
  }),
  resolved: z.object({ total: count, byChannel: channelCounts }),
  cost: z.object({
    handlerCount: count,
    paidHours: z.number(),
    handlerCostPence: z.number(),
    platformCostPence: z.number(),
    totalCostPence: z.number(),
    /** The headline: total cost / resolved queries; null when nothing was resolved. */
    costPerResolvedPence: z.number().nullable(),
    byChannel: z.object(Object.fromEntries(channels.map((channel) => [channel, channelCostSchema])) as Record<(typeof channels)[number], typeof channelCostSchema>),
    /** One entry per London day of the range. */
    trend: z.array(trendDaySchema),
    previous: z.object({
      from: z.string(),
      to: z.string(),
      resolved: count,
      totalCostPence: z.number(),
      costPerResolvedPence: z.number().nullable(),
    }),
    /** (this period's cost per resolved query - the previous period's) / the previous period's; null when either is null. */
    change: z.number().nullable(),
  }),
});
export type ReportSummary = z.infer<typeof reportSummarySchema>;
