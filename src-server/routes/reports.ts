import { z } from 'zod';
import { problemTypes } from '../../src-shared/problem';
import { reportToCsv } from '../../src-shared/reports/report-csv';
import { reportQuerySchema, reportSummarySchema, type ReportQuery } from '../../src-shared/reports/report-schema';
import { reportSettingsSchema, storedReportSettingsSchema } from '../../src-shared/reports/settings';
import { sendProblem } from '../problem';
import type { Actor } from '../store/central-store';
import type { ReportStore, TeamScope } from '../store/report-store';
import { defineRoute, type RouteSpec } from './route-spec';

/**
 * Reports for supervisors and administrators. A supervisor sees only their own teams: with no team asked for, all of
 * them together; asking for another team is refused. An administrator sees any team, or with none asked for, the whole
 * organisation (calls no team had been offered included). Only an administrator changes the cost settings.
 */
export function reportRoutes(deps: { reports: ReportStore }): RouteSpec[] {
  const readers = ['supervisor', 'admin'] as const;

  /** The teams a report for this caller covers, or null when they may not see the team asked for. */
  function scopeOf(actor: Actor, query: ReportQuery): { ok: true; teams: TeamScope } | { ok: false } {
    if (actor.role === 'admin') return { ok: true, teams: query.teamId === undefined ? null : [query.teamId] };
    if (query.teamId === undefined) return { ok: true, teams: [...actor.teamIds] };
    return actor.teamIds.includes(query.teamId) ? { ok: true, teams: [query.teamId] } : { ok: false };
  }

  const notYourTeam = { type: problemTypes.http, title: 'Not your team', status: 403, detail: 'A supervisor can see reports for their own teams only.' };

  return [
    defineRoute({
      method: 'GET',
      url: '/reports/summary',
      summary: 'Read the report figures for a date range',
      tag: 'reports',
      access: readers,
      query: reportQuerySchema,
      response: reportSummarySchema,
      refusals: { 403: 'A supervisor asked for a team that is not theirs' },
      async handler({ query, actor, reply }) {
        const scope = scopeOf(actor!, query);
        if (!scope.ok) return sendProblem(reply, notYourTeam);
        return deps.reports.summary(query.from, query.to, scope.teams);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/reports/export.csv',
      summary: 'Export the report figures for a date range as CSV',
      tag: 'reports',
      access: readers,
      query: reportQuerySchema,
      response: z.string(),
      produces: 'text/csv',
      refusals: { 403: 'A supervisor asked for a team that is not theirs' },
      async handler({ query, actor, reply }) {
        const scope = scopeOf(actor!, query);
        if (!scope.ok) return sendProblem(reply, notYourTeam);
        const csv = reportToCsv(await deps.reports.summary(query.from, query.to, scope.teams));
        return reply
          .code(200)
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="care-desk-report-${query.from}-to-${query.to}.csv"`)
          .header('cache-control', 'no-store')
          .send(csv);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/reports/settings',
      summary: 'Read the report settings',
      tag: 'reports',
      access: readers,
      response: storedReportSettingsSchema,
      handler: () => deps.reports.readSettings(),
    }),
    defineRoute({
      method: 'PUT',
      url: '/admin/report-settings',
      summary: 'Change the report settings',
      tag: 'admin',
      access: ['admin'],
      body: reportSettingsSchema.strict(),
      response: storedReportSettingsSchema,
      handler: ({ body, actor }) => deps.reports.saveSettings(body, actor!.userId),
    }),
  ];
}
